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
