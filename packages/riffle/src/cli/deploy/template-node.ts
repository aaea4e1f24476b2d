/** Where a template value was written: 1-based line and column, as editors count them. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/**
 * A parsed template value with its position, so that every error can name `FILE:LINE:COL`.
 * YAML short forms (`!Ref X`) are already their long forms (`{ Ref: X }`), the map keeping the tag's position.
 */
export type TemplateNode =
  | { readonly kind: 'scalar'; readonly value: string | number | boolean | null; readonly pos: Position }
  | { readonly kind: 'list'; readonly items: readonly TemplateNode[]; readonly pos: Position }
  | { readonly kind: 'map'; readonly entries: ReadonlyMap<string, MapEntry>; readonly pos: Position };

export interface MapEntry {
  readonly keyPos: Position;
  readonly value: TemplateNode;
}

export type MapNode = Extract<TemplateNode, { kind: 'map' }>;
export type ListNode = Extract<TemplateNode, { kind: 'list' }>;
export type ScalarNode = Extract<TemplateNode, { kind: 'scalar' }>;

/** The single key of a one-entry map (`{ "Fn::Join": [...] }`), the shape of every intrinsic function. */
export function soleKey(node: TemplateNode): string | undefined {
  return node.kind === 'map' && node.entries.size === 1 ? [...node.entries.keys()][0] : undefined;
}

/** The node as plain JSON (no positions): what a ResourcePolicy document or a Metadata value is. */
export function plainValue(node: TemplateNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'list') return node.items.map(plainValue);
  return Object.fromEntries([...node.entries].map(([key, entry]) => [key, plainValue(entry.value)]));
}

export const describeKind = (node: TemplateNode): string =>
  node.kind === 'scalar' ? (node.value === null ? 'null' : typeof node.value) : node.kind === 'list' ? 'a list' : 'an object';
