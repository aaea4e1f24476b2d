import type { Position, TemplateNode } from './template-node.js';

/** The position of the value a JSON pointer (`/StreamModeDetails/StreamMode`) names, as deep as the template wrote it literally. */
export function positionAt(node: TemplateNode | undefined, pointer: string, fallback: Position): Position {
  if (node === undefined) return fallback;
  let current: TemplateNode = node;
  let pos = node.pos;
  for (const segment of pointer.split('/').slice(1)) {
    if (current.kind === 'map' && current.entries.has(segment)) {
      const entry = current.entries.get(segment)!;
      [current, pos] = [entry.value, entry.value.pos];
    } else if (current.kind === 'list' && /^\d+$/.test(segment) && current.items[Number(segment)]) {
      current = current.items[Number(segment)]!;
      pos = current.pos;
    } else {
      break;
    }
  }
  return pos;
}
