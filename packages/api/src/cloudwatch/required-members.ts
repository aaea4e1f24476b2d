import type { ShapeTable } from '../runtime/shape.js';

/**
 * The query-protocol path of the first required member the input lacks (`MetricDataQueries.member.1.Id`), in model
 * order, depth first; undefined when none is missing. CloudWatch answers it as MissingParameter.
 */
export function firstMissingMember(shapes: ShapeTable, shapeName: string, value: unknown, path = ''): string | undefined {
  const shape = shapes[shapeName];
  if (shape === undefined || value === null || value === undefined) return undefined;
  if (shape.type === 'list') {
    const items = value as unknown[];
    for (let index = 0; index < items.length; index++) {
      const missing = firstMissingMember(shapes, shape.member, items[index], `${path}.member.${index + 1}`);
      if (missing !== undefined) return missing;
    }
    return undefined;
  }
  if (shape.type !== 'structure') return undefined;
  const structure = value as Record<string, unknown>;
  for (const [name, member] of Object.entries(shape.members)) {
    const memberPath = path === '' ? name : `${path}.${name}`;
    const memberValue = structure[name];
    if (memberValue === null || memberValue === undefined) {
      if (member.required === true) return memberPath;
      continue;
    }
    const missing = firstMissingMember(shapes, member.target, memberValue, memberPath);
    if (missing !== undefined) return missing;
  }
  return undefined;
}
