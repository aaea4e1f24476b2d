import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';

/** NextToken values expire after 300 s (ListShards, ListStreams, ListStreamConsumers; the model's docs). */
export const pageTokenLifetimeMs = 300_000;

/**
 * An opaque pagination token: base64 of JSON with what the next page needs and when it was issued.
 * Not secret: it holds only names the caller already knows.
 */
export function encodePageToken(state: Record<string, unknown>, issuedAt: number): string {
  return Buffer.from(JSON.stringify({ ...state, issuedAt }), 'utf8').toString('base64');
}

export function decodePageToken<T extends Record<string, unknown>>(token: string, now: number): T {
  let state: (T & { issuedAt?: unknown }) | undefined;
  try {
    state = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as T & { issuedAt?: unknown };
  } catch {
    state = undefined;
  }
  if (state === undefined || state === null || typeof state !== 'object' || typeof state.issuedAt !== 'number') {
    throw kinesisError('InvalidArgumentException', messages.invalidNextToken());
  }
  if (now - state.issuedAt > pageTokenLifetimeMs) {
    throw kinesisError('ExpiredNextTokenException', messages.expiredNextToken());
  }
  return state;
}
