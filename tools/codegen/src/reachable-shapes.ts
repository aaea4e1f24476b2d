import type { ServiceModelDocument } from './service-model.js';

/** Shape names reachable from the operations' inputs, outputs and errors, sorted. */
export function reachableShapes(model: ServiceModelDocument): string[] {
  const seen = new Set<string>();
  const pending: string[] = [];
  const visit = (name: string | undefined): void => {
    if (name === undefined || seen.has(name)) return;
    if (!(name in model.shapes)) throw new Error(`unknown shape ${name}`);
    seen.add(name);
    pending.push(name);
  };
  for (const operation of Object.values(model.operations)) {
    visit(operation.input?.shape);
    visit(operation.output?.shape);
    for (const error of operation.errors ?? []) visit(error.shape);
  }
  while (pending.length > 0) {
    const shape = model.shapes[pending.pop() as string]!;
    for (const member of Object.values(shape.members ?? {})) visit(member.shape);
    visit(shape.member?.shape);
    visit(shape.key?.shape);
    visit(shape.value?.shape);
  }
  return [...seen].sort();
}
