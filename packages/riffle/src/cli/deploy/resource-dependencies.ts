import { TemplateError } from './template-error.js';
import { soleKey, type Position, type TemplateNode } from './template-node.js';
import { RULE_ONLY_FUNCTIONS, SUPPORTED_FUNCTIONS, type TemplateBlock } from './template-evaluator.js';
import type { Template } from './template.js';

export interface Reference {
  readonly logicalId: string;
  readonly pos: Position;
}

const KNOWN_FUNCTIONS = new Set<string>([...SUPPORTED_FUNCTIONS, ...RULE_ONLY_FUNCTIONS, 'Fn::Transform', 'Fn::Length', 'Fn::ToJsonString']);

interface Names {
  readonly resources: ReadonlySet<string>;
  readonly others: ReadonlySet<string>;
}

/**
 * The resources a value refers to (Ref, Fn::GetAtt, Fn::Sub's `${X}` and `${X.Attr}`), every branch of Fn::If
 * included, as CloudFormation orders them. Checks, as its template validation does, that every name exists and
 * every function is known.
 */
export function referencesOf(node: TemplateNode, names: Names, block: TemplateBlock, found: Reference[] = []): Reference[] {
  if (node.kind === 'list') {
    for (const item of node.items) referencesOf(item, names, block, found);
    return found;
  }
  if (node.kind !== 'map') return found;
  const key = soleKey(node);
  const arg = key === undefined ? undefined : node.entries.get(key)!.value;
  const unresolved = (name: string, pos: Position): never => {
    throw new TemplateError(`Template format error: Unresolved resource dependencies [${name}] in the ${block} block of the template`, pos);
  };
  if (key === 'Ref' && arg!.kind === 'scalar') {
    const name = String(arg!.value);
    if (names.resources.has(name)) found.push({ logicalId: name, pos: arg!.pos });
    else if (!names.others.has(name)) unresolved(name, arg!.pos);
    return found;
  }
  if (key === 'Fn::GetAtt') {
    const target = arg!.kind === 'list' ? arg!.items[0] : arg;
    if (target?.kind === 'scalar' && typeof target.value === 'string') {
      const name = arg!.kind === 'list' ? target.value : target.value.split('.')[0]!;
      if (!names.resources.has(name)) throw new TemplateError(`Template error: instance of Fn::GetAtt references undefined resource ${name}`, target.pos);
      found.push({ logicalId: name, pos: target.pos });
      return found;
    }
  }
  if (key === 'Fn::Sub') {
    const text = arg!.kind === 'list' ? arg!.items[0] : arg;
    const variables = arg!.kind === 'list' && arg!.items[1]?.kind === 'map' ? new Set(arg!.items[1].entries.keys()) : new Set<string>();
    if (text?.kind === 'scalar' && typeof text.value === 'string') {
      for (const [, inner] of text.value.matchAll(/\$\{([^}]*)\}/g)) {
        if (inner!.startsWith('!')) continue;
        const name = inner!.trim();
        if (variables.has(name) || names.others.has(name)) continue;
        const id = name.includes('.') ? name.slice(0, name.indexOf('.')) : name;
        if (names.resources.has(id)) found.push({ logicalId: id, pos: text.pos });
        else unresolved(name, text.pos);
      }
    }
    if (arg!.kind === 'list' && arg!.items[1]) referencesOf(arg!.items[1], names, block, found);
    return found;
  }
  if (key !== undefined && key.startsWith('Fn::') && !KNOWN_FUNCTIONS.has(key)) {
    throw new TemplateError(`Template error: Encountered unsupported function: ${key} Supported functions are: [${SUPPORTED_FUNCTIONS.join(', ')}]`, node.pos);
  }
  for (const entry of node.entries.values()) referencesOf(entry.value, names, block, found);
  return found;
}

export interface DependencyGraph {
  /** Every resource's logical id in creation order (each after what it depends on). */
  readonly order: readonly string[];
  /** logical id → the resources it depends on */
  readonly dependsOn: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The Resources block's dependency graph, in an order that creates each resource after what it needs; a cycle is CloudFormation's error. */
export function dependencyGraph(template: Template, otherNames: ReadonlySet<string>): DependencyGraph {
  const names: Names = { resources: new Set(template.resources.keys()), others: otherNames };
  const dependsOn = new Map<string, Set<string>>();
  for (const resource of template.resources.values()) {
    const needs = new Set<string>();
    for (const entry of ['Properties', 'Metadata']) {
      const value = resource.node.entries.get(entry)?.value;
      if (value) for (const ref of referencesOf(value, names, 'Resources')) needs.add(ref.logicalId);
    }
    for (const dependency of resource.dependsOn) {
      if (!names.resources.has(dependency.name)) throw new TemplateError(`Template format error: Unresolved resource dependencies [${dependency.name}] in the Resources block of the template`, dependency.pos);
      needs.add(dependency.name);
    }
    dependsOn.set(resource.logicalId, needs);
  }
  for (const output of template.outputs.values()) {
    for (const node of [output.value, output.description, output.exportName]) if (node) referencesOf(node, names, 'Outputs');
  }

  const order: string[] = [];
  const placed = new Set<string>();
  let progressed = true;
  while (progressed && placed.size < dependsOn.size) {
    progressed = false;
    for (const [id, needs] of dependsOn) {
      if (placed.has(id) || ![...needs].every((need) => placed.has(need))) continue;
      order.push(id);
      placed.add(id);
      progressed = true;
    }
  }
  if (placed.size < dependsOn.size) {
    const reaches = (from: string, to: string): boolean => {
      const seen = new Set<string>();
      const stack = [...(dependsOn.get(from) ?? [])];
      while (stack.length > 0) {
        const next = stack.pop()!;
        if (next === to) return true;
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(...(dependsOn.get(next) ?? []));
      }
      return false;
    };
    const cycle = [...dependsOn.keys()].filter((id) => !placed.has(id) && reaches(id, id));
    throw new TemplateError(`Circular dependency between resources: [${cycle.join(', ')}]`, template.resources.get(cycle[0]!)?.pos);
  }
  return { order, dependsOn };
}
