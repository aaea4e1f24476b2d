import { createHash } from 'node:crypto';

/**
 * CloudWatch's NextToken: base64 of where the next page starts, bound to the request it came from by a digest of
 * the request's other members, so that a token is only taken back by the same query. Not secret.
 */
export function encodeCloudWatchPageToken(request: unknown, offset: number): string {
  return Buffer.from(JSON.stringify({ r: requestDigest(request), o: offset }), 'utf8').toString('base64');
}

/** The offset a token carries, or undefined when it is not a token of this request. */
export function decodeCloudWatchPageToken(token: string, request: unknown): number | undefined {
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof state !== 'object' || state === null) return undefined;
  const { r, o } = state as { r?: unknown; o?: unknown };
  if (r !== requestDigest(request) || typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) return undefined;
  return o;
}

function requestDigest(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('base64url').slice(0, 22);
}
