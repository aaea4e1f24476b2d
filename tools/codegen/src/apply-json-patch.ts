/**
 * The subset of RFC 6902 (JSON Patch) the model patch files use: `add`, `replace`, `remove`,
 * with RFC 6901 pointers; `/-` appends to an array. Each patch entry also carries a `source`.
 */

export interface JsonPatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: unknown;
  readonly source: string;
}

export function applyJsonPatch(document: unknown, operations: readonly JsonPatchOperation[]): unknown {
  const result = structuredClone(document);
  for (const operation of operations) {
    if (typeof operation.source !== 'string' || operation.source.length === 0) {
      throw new Error(`patch ${operation.op} ${operation.path} has no source`);
    }
    applyOne(result, operation);
  }
  return result;
}

function parsePointer(path: string): string[] {
  if (!path.startsWith('/')) throw new Error(`invalid JSON pointer: ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function applyOne(document: unknown, operation: JsonPatchOperation): void {
  const tokens = parsePointer(operation.path);
  const last = tokens.pop() as string;
  let parent: unknown = document;
  for (const token of tokens) {
    if (parent === null || typeof parent !== 'object' || !(token in parent)) {
      throw new Error(`patch path not found: ${operation.path}`);
    }
    parent = (parent as Record<string, unknown>)[token];
  }
  if (parent === null || typeof parent !== 'object') throw new Error(`patch parent is not a container: ${operation.path}`);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new Error(`bad array index: ${operation.path}`);
    if (operation.op === 'add') parent.splice(index, 0, structuredClone(operation.value));
    else if (operation.op === 'replace') parent[index] = structuredClone(operation.value);
    else parent.splice(index, 1);
    return;
  }
  const container = parent as Record<string, unknown>;
  if (operation.op === 'add') {
    if (last in container) throw new Error(`patch adds an existing member (use replace): ${operation.path}`);
    container[last] = structuredClone(operation.value);
  } else {
    if (!(last in container)) throw new Error(`patch path not found: ${operation.path}`);
    if (operation.op === 'replace') container[last] = structuredClone(operation.value);
    else delete container[last];
  }
}
