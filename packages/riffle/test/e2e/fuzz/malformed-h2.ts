import fc from 'fast-check';
import type { OutgoingHttpHeaders } from 'node:http2';
import { bodyArbitrary, type BodyCase } from './malformed-bodies.js';
import { authPlan, contentTypeVariant, extraHeaders, TARGET_PREFIX, type AuthPlan } from './malformed-headers.js';
import { authenticate, type SigningContext } from './request-signing.js';

/** One HTTP/2 stream: odd pseudo-headers and headers, a lying content-length, or a reset before it is done. */
export interface H2Plan {
  readonly method: string;
  readonly path: string;
  readonly authority: 'right' | string;
  readonly scheme: string;
  readonly body: BodyCase;
  readonly contentType: 'match' | string | undefined;
  readonly target: 'match' | string | undefined;
  readonly auth: AuthPlan;
  readonly extra: Array<[string, string]>;
  readonly duplicateTarget: boolean;
  readonly manyHeaders: number;
  readonly contentLength: 'none' | 'right' | 'short' | 'long' | 'garbage';
  /** How the client ends the stream: normally, or with RST_STREAM at some point. */
  readonly reset: 'none' | 'immediately' | 'mid-body' | 'after-end';
  /** Tear the whole session down right after this stream starts (rare). */
  readonly killSession: boolean;
  readonly splitAt: number;
}

const h2Plans = new Map<boolean, fc.Arbitrary<H2Plan>>();

export function h2PlanArbitrary(strict = false): fc.Arbitrary<H2Plan> {
  let arbitrary = h2Plans.get(strict);
  if (arbitrary === undefined) h2Plans.set(strict, (arbitrary = buildH2Plan(strict)));
  return arbitrary;
}

function buildH2Plan(strict: boolean): fc.Arbitrary<H2Plan> {
  return fc.record({
    method: fc.oneof({ weight: 20, arbitrary: fc.constant('POST') }, { weight: 2, arbitrary: fc.constantFrom('GET', 'PUT', 'OPTIONS', 'HEAD', 'FOO', 'post', 'DELETE') }),
    path: fc.oneof({ weight: 20, arbitrary: fc.constant('/') }, { weight: 2, arbitrary: fc.constantFrom('*', '//', '/%', '/%zz?%', '/?', '/x/../..', `/${'a'.repeat(5000)}`, '/?X-Amz-Algorithm=AWS4-HMAC-SHA256', 'x') }),
    authority: fc.oneof({ weight: 20, arbitrary: fc.constant('right') }, { weight: 1, arbitrary: fc.constantFrom('', 'evil.example', 'a'.repeat(2000), '[::1]:1') }),
    scheme: fc.oneof({ weight: 20, arbitrary: fc.constant('http') }, { weight: 1, arbitrary: fc.constantFrom('https', 'ftp', '') }),
    body: bodyArbitrary(),
    contentType: fc.oneof({ weight: 7, arbitrary: fc.constant('match' as const) }, { weight: 3, arbitrary: contentTypeVariant() }),
    target: fc.oneof({ weight: 8, arbitrary: fc.constant('match' as const) }, { weight: 2, arbitrary: fc.constantFrom(`${TARGET_PREFIX}.ListStreams`, `${TARGET_PREFIX}.Nope`, TARGET_PREFIX, undefined) }),
    auth: authPlan(strict),
    extra: fc.oneof({ weight: 3, arbitrary: fc.constant<Array<[string, string]>>([]) }, { weight: 1, arbitrary: extraHeaders() }),
    duplicateTarget: fc.oneof({ weight: 20, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    manyHeaders: fc.oneof({ weight: 30, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(130, 400) }),
    contentLength: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('none' as const, 'right' as const) }, { weight: 2, arbitrary: fc.constantFrom('short' as const, 'long' as const, 'garbage' as const) }),
    reset: fc.oneof({ weight: 12, arbitrary: fc.constant('none' as const) }, { weight: 3, arbitrary: fc.constantFrom('immediately' as const, 'mid-body' as const, 'after-end' as const) }),
    killSession: fc.oneof({ weight: 300, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    splitAt: fc.double({ min: 0, max: 1, noNaN: true }),
  });
}

export interface RenderedH2 {
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
  readonly mediaType: string;
  readonly intact: boolean;
  /** Nothing odd in the framing or headers: the server must answer it. */
  readonly plain: boolean;
}

/** Headers node's HTTP/2 client sends only once (it throws on a list). */
const SINGLE_VALUE = new Set(['content-type', 'authorization', 'content-length', 'content-encoding', 'user-agent', 'date', 'range', 'if-none-match', 'origin', 'host']);

const MEDIA_TYPE = { json: 'application/x-amz-json-1.1', cbor: 'application/x-amz-cbor-1.1' } as const;

export async function renderH2(plan: H2Plan, context: SigningContext): Promise<RenderedH2> {
  const headers: Array<[string, string]> = [];
  const contentType = plan.contentType === 'match' ? (plan.body.encoding === 'other' ? MEDIA_TYPE.json : MEDIA_TYPE[plan.body.encoding]) : plan.contentType;
  if (contentType !== undefined) headers.push(['content-type', contentType]);
  const target = plan.target === 'match' ? `${TARGET_PREFIX}.${plan.body.operation}` : plan.target;
  if (target !== undefined) headers.push(['x-amz-target', target]);
  // HTTP/2 has no place for connection-specific headers (node refuses them); the rest go as they are.
  for (const [name, value] of plan.extra) if (!['te', 'keep-alive', 'proxy-connection', 'expect'].includes(name)) headers.push([name.toLowerCase(), value]);
  const request = await authenticate({ method: plan.method, path: plan.path, headers, body: plan.body.bytes }, plan.auth, context);
  const out: OutgoingHttpHeaders = {
    ':method': plan.method,
    ':path': request.path,
    ':scheme': plan.scheme,
    ':authority': plan.authority === 'right' ? context.host : plan.authority,
  };
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    const existing = out[lower];
    if (existing !== undefined && SINGLE_VALUE.has(lower)) continue;
    // Repeats become a list where HTTP/2 allows one; node keeps one value for single-value headers.
    if (existing === undefined) out[lower] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[lower] = [String(existing), value];
  }
  if (plan.duplicateTarget) out['x-amz-target'] = [`${TARGET_PREFIX}.ListStreams`, `${TARGET_PREFIX}.PutRecord`];
  for (let index = 0; index < plan.manyHeaders; index++) out[`x-many-${index}`] = 'v';
  const length = request.body.length;
  if (plan.contentLength === 'right') out['content-length'] = String(length);
  else if (plan.contentLength === 'short') out['content-length'] = String(Math.max(0, length - 1));
  else if (plan.contentLength === 'long') out['content-length'] = String(length + 10);
  else if (plan.contentLength === 'garbage') out['content-length'] = 'abc';
  const plain =
    plan.reset === 'none' && !plan.killSession && plan.manyHeaders === 0 && ['none', 'right'].includes(plan.contentLength) &&
    plan.authority === 'right' && plan.scheme === 'http' && plan.path.startsWith('/') && /^[A-Z]+$/.test(plan.method) && plan.method !== 'HEAD';
  return {
    headers: out,
    body: request.body,
    mediaType: (contentType ?? '').split(';')[0]!.trim().toLowerCase(),
    // nghttp2 drops a field whose value starts or ends with a space or tab (RFC 9113 §8.2.1), so the server never
    // sees a header that was signed: that signature cannot verify, on AWS either.
    intact: request.intact && plan.authority === 'right' && !plan.duplicateTarget && !request.headers.some(([, value]) => /^[ \t]|[ \t]$/.test(value)),
    plain,
  };
}

export function describeH2(plan: H2Plan): string {
  return `h2 ${plan.method} ${plan.path.slice(0, 40)} ${plan.body.operation} [${plan.body.note}] cl=${plan.contentLength} reset=${plan.reset} auth=${plan.auth.kind}`;
}
