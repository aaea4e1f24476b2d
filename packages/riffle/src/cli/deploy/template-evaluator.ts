import { NotAvailableError } from './not-available-error.js';
import { missingSsmMessage, type ResolvedParameter } from './parameters.js';
import { TemplateError } from './template-error.js';
import { soleKey, type MapNode, type Position, type TemplateNode } from './template-node.js';
import { NO_VALUE, scalarText, type Evaluated, type TemplateValue } from './template-value.js';

/** What the Resources block's references resolve to; given by the deployer, which knows what exists. */
export interface ResourceReferences {
  ref(logicalId: string, pos: Position): TemplateValue;
  getAtt(logicalId: string, attribute: string, pos: Position): TemplateValue;
}

export type TemplateBlock = 'Resources' | 'Outputs' | 'Conditions' | 'Rules';

export interface EvaluationContext {
  readonly parameters: ReadonlyMap<string, ResolvedParameter>;
  readonly pseudo: ReadonlyMap<string, Evaluated>;
  readonly mappings: ReadonlyMap<string, MapNode>;
  readonly conditions: ReadonlyMap<string, TemplateNode>;
  readonly resourceIds: ReadonlySet<string>;
  readonly region: string;
}

/** Every function CloudFormation has outside a transform, for the "unsupported function" message. */
export const SUPPORTED_FUNCTIONS = ['Fn::Base64', 'Fn::Cidr', 'Fn::FindInMap', 'Fn::GetAZs', 'Fn::GetAtt', 'Fn::If', 'Fn::ImportValue', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::Sub', 'Ref', 'Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not'];
export const RULE_ONLY_FUNCTIONS = new Set(['Fn::Contains', 'Fn::EachMemberEquals', 'Fn::EachMemberIn', 'Fn::RefAll', 'Fn::ValueOf', 'Fn::ValueOfAll']);

const isFunctionKey = (key: string | undefined): key is string => key !== undefined && (key === 'Ref' || key.startsWith('Fn::'));

/**
 * Evaluates template values: Ref, every Fn:: function, conditions, Fn::Sub's forms, AWS::NoValue; in rules also
 * the rule-only functions. One evaluator per block, since what a reference may name depends on the block.
 */
export class TemplateEvaluator {
  readonly #conditionValues = new Map<string, boolean>();
  /** Shared with the evaluators made for other blocks, so that a cycle of conditions is found whichever block started it. */
  #conditionsInProgress = new Set<string>();

  constructor(
    private readonly context: EvaluationContext,
    private readonly block: TemplateBlock,
    private readonly resources: ResourceReferences | undefined,
  ) {}

  /** The same context for another block (or another resource's references); condition results are shared. */
  forBlock(block: TemplateBlock, resources: ResourceReferences | undefined): TemplateEvaluator {
    const other = new TemplateEvaluator(this.context, block, resources);
    for (const [name, value] of this.#conditionValues) other.#conditionValues.set(name, value);
    other.#conditionsInProgress = this.#conditionsInProgress;
    return other;
  }

  /** A property value, with AWS::NoValue removing what holds it. */
  value(node: TemplateNode): Evaluated {
    if (node.kind === 'scalar') return node.value;
    if (node.kind === 'list') {
      const items: TemplateValue[] = [];
      for (const item of node.items) {
        const value = this.value(item);
        if (value !== NO_VALUE) items.push(value);
      }
      return items;
    }
    const key = soleKey(node);
    if (isFunctionKey(key)) return this.#call(key, node.entries.get(key)!.value, node.pos);
    const result: Record<string, TemplateValue> = {};
    for (const [name, entry] of node.entries) {
      const value = this.value(entry.value);
      if (value !== NO_VALUE) result[name] = value;
    }
    return result;
  }

  /** A value that must be there (AWS::NoValue not allowed), e.g. a function's argument. */
  required(node: TemplateNode, what: string): TemplateValue {
    const value = this.value(node);
    if (value === NO_VALUE) throw new TemplateError(`Template error: ${what} cannot be AWS::NoValue`, node.pos);
    return value;
  }

  string(node: TemplateNode, what: string): string {
    const value = this.required(node, what);
    const text = scalarText(value);
    if (text === undefined) throw new TemplateError(`Template error: ${what} must be a string`, node.pos);
    return text;
  }

  list(node: TemplateNode, what: string): TemplateValue[] {
    const value = this.required(node, what);
    if (!Array.isArray(value)) throw new TemplateError(`Template error: ${what} must be a list`, node.pos);
    return value;
  }

  /** The named condition of the Conditions section, evaluated once. */
  namedCondition(name: string, pos: Position): boolean {
    const known = this.#conditionValues.get(name);
    if (known !== undefined) return known;
    const node = this.context.conditions.get(name);
    if (node === undefined) throw new TemplateError(`Template format error: Unresolved condition dependency ${name}`, pos);
    if (this.#conditionsInProgress.has(name)) throw new TemplateError(`Template format error: Circular dependency between conditions: [${[...this.#conditionsInProgress].join(', ')}]`, pos);
    this.#conditionsInProgress.add(name);
    try {
      const value = this.forBlock('Conditions', undefined).condition(node);
      this.#conditionValues.set(name, value);
      return value;
    } finally {
      this.#conditionsInProgress.delete(name);
    }
  }

  /** A condition: a condition function, `{ Condition: Name }`, or a value that is true or false. */
  condition(node: TemplateNode): boolean {
    const key = soleKey(node);
    if (key === 'Condition') {
      const name = node.kind === 'map' ? node.entries.get(key)!.value : node;
      return this.namedCondition(this.string(name, 'Condition'), name.pos);
    }
    const value = this.value(node);
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new TemplateError('Template error: a condition must be a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not) or a Condition reference', node.pos);
  }

  #args(node: TemplateNode, name: string, count: number): readonly TemplateNode[] {
    if (node.kind !== 'list' || node.items.length !== count) {
      throw new TemplateError(`Template error: ${name} takes a list of ${count} arguments`, node.pos);
    }
    return node.items;
  }

  #call(name: string, arg: TemplateNode, pos: Position): Evaluated {
    if (RULE_ONLY_FUNCTIONS.has(name) && this.block !== 'Rules') throw new TemplateError(`Template error: ${name} can only be used in the Rules section`, pos);
    switch (name) {
      case 'Ref': return this.#ref(this.string(arg, 'Ref'), arg.pos);
      case 'Fn::GetAtt': return this.#getAtt(arg);
      case 'Fn::Sub': return this.#sub(arg);
      case 'Fn::Join': {
        const [delimiter, items] = this.#args(arg, name, 2);
        const separator = this.string(delimiter!, 'the Fn::Join delimiter');
        return this.list(items!, 'the Fn::Join values').map((item) => {
          const text = scalarText(item);
          if (text === undefined) throw new TemplateError('Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.', items!.pos);
          return text;
        }).join(separator);
      }
      case 'Fn::If': {
        const [conditionName, whenTrue, whenFalse] = this.#args(arg, name, 3);
        const chosen = this.namedCondition(this.string(conditionName!, 'the Fn::If condition name'), conditionName!.pos) ? whenTrue! : whenFalse!;
        return this.value(chosen);
      }
      case 'Fn::Equals': {
        const [left, right] = this.#args(arg, name, 2);
        return sameValue(this.required(left!, 'an Fn::Equals value'), this.required(right!, 'an Fn::Equals value'));
      }
      case 'Fn::Not': {
        const [inner] = this.#args(arg, name, 1);
        return !this.condition(inner!);
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (arg.kind !== 'list' || arg.items.length < 2 || arg.items.length > 10) throw new TemplateError(`Template error: ${name} takes a list of 2 to 10 conditions`, arg.pos);
        const results = arg.items.map((item) => this.condition(item));
        return name === 'Fn::And' ? results.every(Boolean) : results.some(Boolean);
      }
      case 'Fn::Select': {
        const [indexNode, listNode] = this.#args(arg, name, 2);
        const indexText = this.string(indexNode!, 'the Fn::Select index');
        // A whole number written in decimal only: Number() would read "" as 0 and "0x1" as 1.
        const index = /^\d+$/.test(indexText) ? Number(indexText) : NaN;
        const items = this.list(listNode!, 'the Fn::Select list');
        if (!Number.isInteger(index) || index < 0 || index >= items.length) throw new TemplateError(`Template error: Fn::Select cannot select nonexistent value at index ${indexText}`, indexNode!.pos);
        return items[index]!;
      }
      case 'Fn::Split': {
        const [delimiter, source] = this.#args(arg, name, 2);
        const separator = this.string(delimiter!, 'the Fn::Split delimiter');
        if (separator === '') throw new TemplateError('Template error: the Fn::Split delimiter must not be empty', delimiter!.pos);
        return this.string(source!, 'the Fn::Split source string').split(separator);
      }
      case 'Fn::FindInMap': return this.#findInMap(arg);
      case 'Fn::Base64': return Buffer.from(this.string(arg, 'the Fn::Base64 value'), 'utf8').toString('base64');
      case 'Fn::GetAZs': {
        const region = this.string(arg, 'the Fn::GetAZs region') || this.context.region;
        // Riffle has no EC2: three zones named as AWS names them (REGIONa, b, c).
        return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
      }
      case 'Fn::ImportValue':
      case 'Fn::Cidr':
        throw new NotAvailableError(`${name} is not supported by riffle deploy (${name === 'Fn::ImportValue' ? 'Riffle keeps no other stacks\' exports' : 'Riffle has no VPCs'})`, pos);
      case 'Fn::Contains': {
        const [listNode, valueNode] = this.#args(arg, name, 2);
        const items = this.list(listNode!, 'the Fn::Contains list');
        const value = this.required(valueNode!, 'the Fn::Contains value');
        return items.some((item) => sameValue(item, value));
      }
      case 'Fn::EachMemberEquals': {
        const [listNode, valueNode] = this.#args(arg, name, 2);
        const value = this.required(valueNode!, 'the Fn::EachMemberEquals value');
        return this.list(listNode!, 'the Fn::EachMemberEquals list').every((item) => sameValue(item, value));
      }
      case 'Fn::EachMemberIn': {
        const [membersNode, allowedNode] = this.#args(arg, name, 2);
        const allowed = this.list(allowedNode!, 'the Fn::EachMemberIn allowed list');
        return this.list(membersNode!, 'the Fn::EachMemberIn list').every((item) => allowed.some((candidate) => sameValue(item, candidate)));
      }
      case 'Fn::RefAll': {
        // AWS returns every value of that type in the account; locally the only ones known are the template's own parameters'.
        const type = this.string(arg, 'the Fn::RefAll parameter type');
        return [...this.context.parameters.values()].filter((p) => p.type === type || p.type === `List<${type}>`).flatMap((p) => (Array.isArray(p.value) ? [...p.value] : [p.value as string]));
      }
      case 'Fn::ValueOf':
      case 'Fn::ValueOfAll':
        throw new NotAvailableError(`${name} reads attributes of AWS resources (such as a subnet's VpcId), which Riffle does not host`, pos);
      default:
        throw new TemplateError(`Template error: Encountered unsupported function: ${name} Supported functions are: [${SUPPORTED_FUNCTIONS.join(', ')}]`, pos);
    }
  }

  #ref(name: string, pos: Position): Evaluated {
    const parameter = this.context.parameters.get(name);
    if (parameter?.missingSsm !== undefined) throw new TemplateError(missingSsmMessage(parameter), pos);
    if (parameter) return Array.isArray(parameter.value) ? [...parameter.value] : (parameter.value as string);
    const pseudo = this.context.pseudo.get(name);
    if (pseudo !== undefined) return pseudo;
    if (this.context.resourceIds.has(name)) {
      if (this.resources === undefined) throw new TemplateError(`Template format error: Unresolved dependencies [${name}]. Cannot reference resources in the ${this.block} block of the template`, pos);
      return this.resources.ref(name, pos);
    }
    throw new TemplateError(`Template format error: Unresolved resource dependencies [${name}] in the ${this.block} block of the template`, pos);
  }

  #getAtt(arg: TemplateNode): TemplateValue {
    let logicalId: string;
    let attribute: string;
    if (arg.kind === 'scalar' && typeof arg.value === 'string' && arg.value.includes('.')) {
      const dot = arg.value.indexOf('.');
      [logicalId, attribute] = [arg.value.slice(0, dot), arg.value.slice(dot + 1)];
    } else {
      const [idNode, attributeNode] = this.#args(arg, 'Fn::GetAtt', 2);
      logicalId = this.string(idNode!, 'the Fn::GetAtt logical id');
      attribute = this.string(attributeNode!, 'the Fn::GetAtt attribute');
    }
    if (!this.context.resourceIds.has(logicalId)) throw new TemplateError(`Template error: instance of Fn::GetAtt references undefined resource ${logicalId}`, arg.pos);
    if (this.resources === undefined) throw new TemplateError(`Template format error: Unresolved dependencies [${logicalId}]. Cannot reference resources in the ${this.block} block of the template`, arg.pos);
    return this.resources.getAtt(logicalId, attribute, arg.pos);
  }

  #sub(arg: TemplateNode): string {
    let source: TemplateNode;
    const variables = new Map<string, TemplateValue>();
    if (arg.kind === 'list') {
      const [text, vars] = this.#args(arg, 'Fn::Sub', 2);
      source = text!;
      if (vars!.kind !== 'map') throw new TemplateError('Template error: the second argument of Fn::Sub must be a map of variables', vars!.pos);
      for (const [name, entry] of vars!.entries) variables.set(name, this.required(entry.value, `Fn::Sub variable ${name}`));
    } else {
      source = arg;
    }
    if (source.kind !== 'scalar' || typeof source.value !== 'string') throw new TemplateError('Template error: the Fn::Sub template must be a string', source.pos);
    const pos = source.pos;
    return source.value.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      const fromVariables = variables.get(name);
      const value = fromVariables !== undefined ? fromVariables : this.#subVariable(name, pos);
      const text = scalarText(value as TemplateValue);
      if (text === undefined) throw new TemplateError(`Template error: variable ${name} in Fn::Sub must be a string, not a list or object`, pos);
      return text;
    });
  }

  #subVariable(name: string, pos: Position): Evaluated {
    if (this.context.parameters.has(name) || this.context.pseudo.has(name) || this.context.resourceIds.has(name)) return this.#ref(name, pos);
    const dot = name.indexOf('.');
    if (dot > 0 && this.context.resourceIds.has(name.slice(0, dot))) {
      if (this.resources === undefined) throw new TemplateError(`Template format error: Unresolved dependencies [${name.slice(0, dot)}]. Cannot reference resources in the ${this.block} block of the template`, pos);
      return this.resources.getAtt(name.slice(0, dot), name.slice(dot + 1), pos);
    }
    throw new TemplateError(`Template format error: Unresolved resource dependencies [${name}] in the ${this.block} block of the template`, pos);
  }

  #findInMap(arg: TemplateNode): TemplateValue {
    if (arg.kind !== 'list' || arg.items.length < 3) throw new TemplateError('Template error: Fn::FindInMap takes a list of 3 arguments: MapName, TopLevelKey, SecondLevelKey', arg.pos);
    const [mapName, topKey, secondKey] = arg.items.slice(0, 3).map((item, i) => this.string(item, ['the map name', 'the top-level key', 'the second-level key'][i]!));
    const mapping = this.context.mappings.get(mapName!);
    if (!mapping) throw new TemplateError(`Template error: Mapping named '${mapName}' is not present in the 'Mappings' section of template`, arg.items[0]!.pos);
    const top = mapping.entries.get(topKey!)?.value;
    const found = top?.kind === 'map' ? top.entries.get(secondKey!)?.value : undefined;
    if (!found) throw new TemplateError(`Template error: Unable to get mapping for ${mapName}::${topKey}::${secondKey}`, arg.pos);
    return this.required(found, 'a mapping value');
  }
}

/** Fn::Equals: scalars by their string forms (CloudFormation's values are strings), lists item by item. */
function sameValue(left: TemplateValue, right: TemplateValue): boolean {
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && left.length === right.length && left.every((item, i) => sameValue(item, right[i]!));
  }
  const [a, b] = [scalarText(left), scalarText(right)];
  if (a !== undefined && b !== undefined) return a === b;
  return JSON.stringify(left) === JSON.stringify(right);
}
