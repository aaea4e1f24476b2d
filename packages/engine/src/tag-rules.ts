import { EngineError } from './engine-error.js';
import { KINESIS_LIMITS } from './kinesis-limits.js';

// Letters, digits, white space and _ . / = + - % @ (kinesalite addTagsToStream); ':' as TagResource allows.
const ALLOWED = /^[\p{L}\p{N}\s_.:/=+\-%@]*$/u;

/** Checks tags about to be added to a stream that already has `existingKeys`. */
export function checkTagsToAdd(
  stream: string,
  tags: Readonly<Record<string, string>>,
  existingKeys: Iterable<string>,
): void {
  const entries = Object.entries(tags);
  const texts = entries.flat();
  if (texts.some((text) => !ALLOWED.test(text))) throw new EngineError('InvalidTagCharacters');
  // AWS answered '%' with a second, differently worded message (kinesalite addTagsToStream).
  if (texts.some((text) => text.includes('%'))) throw new EngineError('IllegalTagCharacters', { stream });
  const reserved = entries.find(([key]) => key.toLowerCase().startsWith('aws:'));
  if (reserved) throw new EngineError('ReservedTagPrefix', { stream, key: reserved[0] });
  const keys = new Set(existingKeys);
  for (const [key] of entries) keys.add(key);
  if (keys.size > KINESIS_LIMITS.tagsPerStream) {
    throw new EngineError('TooManyTags', { stream, limit: KINESIS_LIMITS.tagsPerStream });
  }
}

type TagList = readonly { readonly key: string; readonly value: string }[];

/** `existing` with `tags` added, a key given again taking its new value, in insertion order. */
export function withTags(existing: TagList, tags: Readonly<Record<string, string>>): { key: string; value: string }[] {
  const merged = new Map(existing.map((tag) => [tag.key, tag.value]));
  for (const [key, value] of Object.entries(tags)) merged.set(key, value);
  return [...merged].map(([key, value]) => ({ key, value }));
}

/** `existing` without `keys`; keys it does not have are ignored. */
export function withoutTags(existing: TagList, keys: readonly string[]): TagList {
  const removed = new Set(keys);
  return existing.filter((tag) => !removed.has(tag.key));
}

/** A copy sorted by key, as the list operations answer. */
export function sortedTags(existing: TagList): { key: string; value: string }[] {
  return existing.map((tag) => ({ key: tag.key, value: tag.value })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
