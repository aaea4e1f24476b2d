import { BodyDecodeError } from './body-decode-error.js';

/** Deeper than any Kinesis shape by far; keeps recursive consumers of the document off the stack limit. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Decodes a JSON 1.1 request body. Only an object root is a valid request; anything else, bad JSON or
 * nesting deeper than `maxDepth` throws BodyDecodeError.
 */
export function decodeJson(body: Uint8Array, maxDepth = MAX_JSON_DEPTH): Record<string, unknown> {
  checkJsonDepth(body, maxDepth);
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BodyDecodeError(`invalid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BodyDecodeError('JSON body must be an object');
  }
  return value as Record<string, unknown>;
}

export function encodeJson(document: unknown): Buffer {
  return Buffer.from(JSON.stringify(document), 'utf8');
}

/** One pass over the bytes, skipping string contents with indexOf (memchr) so big base64 blobs cost little. */
function checkJsonDepth(body: Uint8Array, maxDepth: number): void {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const length = bytes.length;
  let depth = 0;
  let position = 0;
  while (position < length) {
    const byte = bytes[position]!;
    if (byte === QUOTE) {
      position = endOfString(bytes, position + 1);
      continue;
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
      if (depth > maxDepth) throw new BodyDecodeError(`JSON nested deeper than ${maxDepth}`);
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
    position++;
  }
}

/** Index just past the closing quote of a string whose contents start at `from` (or the end of input). */
function endOfString(bytes: Buffer, from: number): number {
  let search = from;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, search);
    if (quote < 0) return bytes.length;
    let backslashes = 0;
    while (quote - 1 - backslashes >= from && bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    search = quote + 1;
  }
}
