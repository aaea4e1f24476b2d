import { hash } from 'node:crypto';

/** The parts of a received request that go into its SigV4 canonical request. */
export interface CanonicalRequestInput {
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Lower-cased, `;`-separated, as in the signature. */
  readonly signedHeaders: string;
  /** Hex SHA-256 of the body, or the `x-amz-content-sha256` the client declared. */
  readonly payloadHash: string;
  /** Presigned requests leave their own signature out of the canonical query. */
  readonly omitSignatureParameter: boolean;
}

/**
 * The canonical request exactly as AWS builds it for services other than S3 (AWS's "Create a canonical request"):
 * method, normalised and twice-encoded path, sorted and re-encoded query, signed headers with their values
 * trimmed and inner whitespace collapsed, the signed header list and the payload hash.
 */
export function canonicalRequest(input: CanonicalRequestInput): string {
  const queryAt = input.url.indexOf('?');
  const path = queryAt < 0 ? input.url : input.url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : input.url.slice(queryAt + 1);
  const names = input.signedHeaders.split(';');
  let headerLines = '';
  for (const name of names) headerLines += `${name}:${canonicalHeaderValue(input.headers, name)}\n`;
  return `${input.method}\n${canonicalUri(path)}\n${canonicalQuery(query, input.omitSignatureParameter)}\n${headerLines}\n${input.signedHeaders}\n${input.payloadHash}`;
}

/** `.` and `..` segments resolved, empty segments dropped, then each segment encoded (a second time, if it was). */
export function canonicalUri(path: string): string {
  if (path === '/' || path === '') return '/';
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
}

/** Parameters decoded, re-encoded as RFC 3986 says, sorted by name then value; `X-Amz-Signature` left out for presigned requests. */
export function canonicalQuery(query: string, omitSignatureParameter: boolean): string {
  if (query === '') return '';
  const pairs: [string, string][] = [];
  for (const parameter of query.split('&')) {
    if (parameter === '') continue;
    const equals = parameter.indexOf('=');
    const name = decodeQueryComponent(equals < 0 ? parameter : parameter.slice(0, equals));
    if (omitSignatureParameter && name === 'X-Amz-Signature') continue;
    pairs.push([uriEncode(name), uriEncode(decodeQueryComponent(equals < 0 ? '' : parameter.slice(equals + 1)))]);
  }
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * A signed header's value, trimmed, with runs of whitespace collapsed to one space; several values joined by
 * commas. HTTP/2 carries the host as `:authority`: the SDK signs `:authority` there, other clients `host`.
 */
export function canonicalHeaderValue(headers: CanonicalRequestInput['headers'], name: string): string {
  let value = headers[name];
  if (value === undefined && name === 'host') value = headers[':authority'];
  else if (value === undefined && name === ':authority') value = headers.host;
  if (value === undefined) return '';
  const joined = Array.isArray(value) ? value.join(',') : value;
  // Spaces and tabs only: String.trim() would also strip no-break spaces, which the SDK's signer keeps.
  return joined.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

/** One-shot hashing: no Hash object per call (this runs twice a request in strict mode). */
export function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

/** RFC 3986: everything but unreserved characters percent-encoded, hex upper-case. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A malformed escape is kept as sent: the signature then simply does not match. */
export function decodeQueryComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
