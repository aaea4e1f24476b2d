import { TemplateError } from './template-error.js';
import { describeKind, type MapNode, type Position, type TemplateNode } from './template-node.js';

export interface ParameterDeclaration {
  readonly name: string;
  readonly pos: Position;
  readonly type: string;
  readonly typePos: Position;
  readonly default: TemplateNode | undefined;
  readonly noEcho: boolean;
  readonly allowedValues: readonly string[] | undefined;
  readonly allowedPattern: string | undefined;
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  readonly minValue: number | undefined;
  readonly maxValue: number | undefined;
  readonly constraintDescription: string | undefined;
}

export interface NamedReference {
  readonly name: string;
  readonly pos: Position;
}

export interface ResourceDeclaration {
  readonly logicalId: string;
  readonly pos: Position;
  readonly type: string;
  readonly properties: MapNode | undefined;
  readonly dependsOn: readonly NamedReference[];
  readonly condition: NamedReference | undefined;
  /** DeletionPolicy and UpdateReplacePolicy: Retain keeps the resource when the stack lets go of it. */
  readonly deletionPolicy: string | undefined;
  readonly updateReplacePolicy: string | undefined;
  /** The whole declaration, searched for references. */
  readonly node: MapNode;
}

export interface OutputDeclaration {
  readonly name: string;
  readonly pos: Position;
  readonly value: TemplateNode;
  readonly description: TemplateNode | undefined;
  readonly exportName: TemplateNode | undefined;
  readonly condition: NamedReference | undefined;
}

export interface RuleAssertion {
  readonly assert: TemplateNode;
  readonly description: string | undefined;
  readonly pos: Position;
}

export interface RuleDeclaration {
  readonly name: string;
  readonly pos: Position;
  readonly ruleCondition: TemplateNode | undefined;
  readonly assertions: readonly RuleAssertion[];
}

/** A template's sections, checked for shape (not yet evaluated). */
export interface Template {
  readonly description: string | undefined;
  readonly parameters: ReadonlyMap<string, ParameterDeclaration>;
  readonly mappings: ReadonlyMap<string, MapNode>;
  readonly conditions: ReadonlyMap<string, TemplateNode>;
  readonly rules: ReadonlyMap<string, RuleDeclaration>;
  readonly resources: ReadonlyMap<string, ResourceDeclaration>;
  readonly outputs: ReadonlyMap<string, OutputDeclaration>;
}

const SECTIONS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions', 'Rules', 'Resources', 'Outputs', 'Transform']);
const RESOURCE_ATTRIBUTES = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'Metadata', 'DeletionPolicy', 'UpdateReplacePolicy', 'CreationPolicy', 'UpdatePolicy']);
const PARAMETER_ATTRIBUTES = new Set(['Type', 'Default', 'Description', 'NoEcho', 'AllowedValues', 'AllowedPattern', 'MinLength', 'MaxLength', 'MinValue', 'MaxValue', 'ConstraintDescription']);
const OUTPUT_ATTRIBUTES = new Set(['Value', 'Description', 'Export', 'Condition']);
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

function mapOf(node: TemplateNode, what: string): MapNode {
  if (node.kind !== 'map') throw new TemplateError(`Template format error: ${what} must be an object, not ${describeKind(node)}`, node.pos);
  return node;
}

function stringOf(node: TemplateNode, what: string): string {
  if (node.kind !== 'scalar' || node.value === null || typeof node.value === 'boolean') throw new TemplateError(`Template format error: ${what} must be a string, not ${describeKind(node)}`, node.pos);
  return String(node.value);
}

function numberOf(node: TemplateNode | undefined, what: string): number | undefined {
  if (node === undefined) return undefined;
  const value = node.kind === 'scalar' && node.value !== null && node.value !== '' ? Number(node.value) : Number.NaN;
  if (!Number.isFinite(value)) throw new TemplateError(`Template format error: ${what} must be a number`, node.pos);
  return value;
}

function namesOf(node: TemplateNode, what: string): NamedReference[] {
  const items = node.kind === 'list' ? node.items : [node];
  return items.map((item) => ({ name: stringOf(item, what), pos: item.pos }));
}

/** Checks a parsed template's sections as CloudFormation's template validation does, with its messages. */
export function readTemplate(root: TemplateNode): Template {
  const top = mapOf(root, 'a template');
  const unknown = [...top.entries.keys()].filter((key) => !SECTIONS.has(key));
  if (unknown.length > 0) throw new TemplateError(`Template format error: Invalid template property or properties [${unknown.join(', ')}]`, top.entries.get(unknown[0]!)!.keyPos);
  const section = (name: string): TemplateNode | undefined => top.entries.get(name)?.value;

  const version = section('AWSTemplateFormatVersion');
  if (version !== undefined && !(version.kind === 'scalar' && String(version.value) === '2010-09-09')) {
    throw new TemplateError('Template format error: Unsupported AWSTemplateFormatVersion: the only version is 2010-09-09', version.pos);
  }
  const transform = section('Transform');
  if (transform !== undefined) {
    const names = transform.kind === 'list' ? transform.items : [transform];
    if (names.length > 0) {
      const shown = names.map((n) => (n.kind === 'scalar' ? String(n.value) : 'a macro')).join(', ');
      throw new TemplateError(`Transform ${shown} is not supported: riffle deploy runs no macros (deploy the processed template, e.g. \`aws cloudformation get-template --template-stage Processed\` or \`sam build\` output)`, transform.pos);
    }
  }
  const description = section('Description');

  const parameters = new Map<string, ParameterDeclaration>();
  const parametersNode = section('Parameters');
  if (parametersNode) {
    for (const [name, { keyPos, value }] of mapOf(parametersNode, 'Parameters').entries) {
      if (!LOGICAL_ID.test(name)) throw new TemplateError(`Template format error: Parameter name ${name} is non alphanumeric.`, keyPos);
      const decl = mapOf(value, `Parameter ${name}`);
      const bad = [...decl.entries.keys()].find((key) => !PARAMETER_ATTRIBUTES.has(key));
      if (bad) throw new TemplateError(`Template format error: Invalid template parameter property '${bad}'`, decl.entries.get(bad)!.keyPos);
      const type = decl.entries.get('Type');
      if (!type) throw new TemplateError('Template format error: Every Parameters object must contain a Type member.', keyPos);
      const get = (key: string): TemplateNode | undefined => decl.entries.get(key)?.value;
      const allowed = get('AllowedValues');
      const noEcho = get('NoEcho');
      parameters.set(name, {
        name,
        pos: keyPos,
        type: stringOf(type.value, `Parameter ${name} Type`),
        typePos: type.value.pos,
        default: get('Default'),
        noEcho: noEcho !== undefined && noEcho.kind === 'scalar' && String(noEcho.value).toLowerCase() === 'true',
        allowedValues: allowed === undefined ? undefined : (allowed.kind === 'list' ? allowed.items : [allowed]).map((item) => stringOf(item, `Parameter ${name} AllowedValues`)),
        allowedPattern: get('AllowedPattern') === undefined ? undefined : stringOf(get('AllowedPattern')!, `Parameter ${name} AllowedPattern`),
        minLength: numberOf(get('MinLength'), `Parameter ${name} MinLength`),
        maxLength: numberOf(get('MaxLength'), `Parameter ${name} MaxLength`),
        minValue: numberOf(get('MinValue'), `Parameter ${name} MinValue`),
        maxValue: numberOf(get('MaxValue'), `Parameter ${name} MaxValue`),
        constraintDescription: get('ConstraintDescription') === undefined ? undefined : stringOf(get('ConstraintDescription')!, `Parameter ${name} ConstraintDescription`),
      });
    }
  }

  const mappings = new Map<string, MapNode>();
  const mappingsNode = section('Mappings');
  if (mappingsNode) for (const [name, { value }] of mapOf(mappingsNode, 'Mappings').entries) mappings.set(name, mapOf(value, `Mapping ${name}`));

  const conditions = new Map<string, TemplateNode>();
  const conditionsNode = section('Conditions');
  if (conditionsNode) for (const [name, { value }] of mapOf(conditionsNode, 'Conditions').entries) conditions.set(name, value);

  const rules = new Map<string, RuleDeclaration>();
  const rulesNode = section('Rules');
  if (rulesNode) {
    for (const [name, { keyPos, value }] of mapOf(rulesNode, 'Rules').entries) {
      const rule = mapOf(value, `Rule ${name}`);
      const assertionsNode = rule.entries.get('Assertions')?.value;
      if (!assertionsNode || assertionsNode.kind !== 'list') throw new TemplateError(`Template format error: Rule ${name} must contain an Assertions list`, keyPos);
      const assertions = assertionsNode.items.map((item): RuleAssertion => {
        const assertion = mapOf(item, `an assertion of rule ${name}`);
        const assert = assertion.entries.get('Assert')?.value;
        if (!assert) throw new TemplateError(`Template format error: every assertion of rule ${name} must contain an Assert`, item.pos);
        const text = assertion.entries.get('AssertDescription')?.value;
        return { assert, description: text === undefined ? undefined : stringOf(text, 'AssertDescription'), pos: item.pos };
      });
      rules.set(name, { name, pos: keyPos, ruleCondition: rule.entries.get('RuleCondition')?.value, assertions });
    }
  }

  const resourcesNode = section('Resources');
  const resources = new Map<string, ResourceDeclaration>();
  if (!resourcesNode || (resourcesNode.kind === 'map' && resourcesNode.entries.size === 0)) {
    throw new TemplateError('Template format error: At least one Resources member must be defined.', resourcesNode?.pos ?? top.pos);
  }
  for (const [logicalId, { keyPos, value }] of mapOf(resourcesNode, 'Resources').entries) {
    if (!LOGICAL_ID.test(logicalId)) throw new TemplateError(`Template format error: Resource name ${logicalId} is non alphanumeric.`, keyPos);
    const decl = mapOf(value, `Resource ${logicalId}`);
    const bad = [...decl.entries.keys()].find((key) => !RESOURCE_ATTRIBUTES.has(key));
    if (bad) throw new TemplateError(`Template format error: Invalid template resource property '${bad}'`, decl.entries.get(bad)!.keyPos);
    const type = decl.entries.get('Type');
    if (!type) throw new TemplateError(`Template format error: [/Resources/${logicalId}] Every Resources object must contain a Type member.`, keyPos);
    const properties = decl.entries.get('Properties')?.value;
    const dependsOn = decl.entries.get('DependsOn')?.value;
    const condition = decl.entries.get('Condition')?.value;
    const policy = (key: string): string | undefined => {
      const node = decl.entries.get(key)?.value;
      if (node === undefined) return undefined;
      const value = stringOf(node, key);
      if (!['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'].includes(value)) throw new TemplateError(`Template format error: Unrecognized ${key} ${value} for resource ${logicalId}`, node.pos);
      return value;
    };
    resources.set(logicalId, {
      deletionPolicy: policy('DeletionPolicy'),
      updateReplacePolicy: policy('UpdateReplacePolicy'),
      logicalId,
      pos: keyPos,
      type: stringOf(type.value, `Resource ${logicalId} Type`),
      properties: properties === undefined ? undefined : mapOf(properties, `Resource ${logicalId} Properties`),
      dependsOn: dependsOn === undefined ? [] : namesOf(dependsOn, 'DependsOn'),
      condition: condition === undefined ? undefined : { name: stringOf(condition, 'Condition'), pos: condition.pos },
      node: decl,
    });
  }

  const outputs = new Map<string, OutputDeclaration>();
  const outputsNode = section('Outputs');
  if (outputsNode) {
    for (const [name, { keyPos, value }] of mapOf(outputsNode, 'Outputs').entries) {
      if (!LOGICAL_ID.test(name)) throw new TemplateError(`Template format error: Output name ${name} is non alphanumeric.`, keyPos);
      const decl = mapOf(value, `Output ${name}`);
      const bad = [...decl.entries.keys()].find((key) => !OUTPUT_ATTRIBUTES.has(key));
      if (bad) throw new TemplateError(`Template format error: Invalid template output property '${bad}'`, decl.entries.get(bad)!.keyPos);
      const outputValue = decl.entries.get('Value')?.value;
      if (!outputValue) throw new TemplateError('Template format error: Every Outputs member must contain a Value object', keyPos);
      const exportNode = decl.entries.get('Export')?.value;
      const condition = decl.entries.get('Condition')?.value;
      outputs.set(name, {
        name,
        pos: keyPos,
        value: outputValue,
        description: decl.entries.get('Description')?.value,
        exportName: exportNode === undefined ? undefined : mapOf(exportNode, `Output ${name} Export`).entries.get('Name')?.value,
        condition: condition === undefined ? undefined : { name: stringOf(condition, 'Condition'), pos: condition.pos },
      });
    }
  }

  return {
    description: description === undefined ? undefined : stringOf(description, 'Description'),
    parameters, mappings, conditions, rules, resources, outputs,
  };
}
