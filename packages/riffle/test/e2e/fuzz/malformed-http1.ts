import fc from 'fast-check';
import { bodyArbitrary, type BodyCase } from './malformed-bodies.js';
import { authPlan, contentTypeVariant, extraHeaders, headerText, TARGET_PREFIX, type AuthPlan } from './malformed-headers.js';
import { authenticate, type SigningContext } from './request-signing.js';

/** Everything of a well-framed request but its body: method, headers, authentication, framing. */
export interface Envelope {
  readonly method: string;
  /** 'match': the media type of the body's encoding. */
  readonly contentType: 'match' | string | undefined;
  /** 'match': the body's operation. */
  readonly target: 'match' | string | undefined;
  readonly auth: AuthPlan;
  readonly extra: Array<[string, string]>;
  readonly framing: 'length' | 'chunked' | 'http10';
  readonly chunkSizes: number[];
  readonly omitHost: boolean;
  readonly close: boolean;
}

/** A request whose HTTP/1.1 framing is right (so it can share a keep-alive connection) and whose content is not. */
export interface FramedPlan extends Envelope {
  readonly body: BodyCase;
}

/** What the response checks need to know of the request that was sent. */
export interface SentRequest {
  readonly label: string;
  readonly method: string;
  /** Lower-cased media type of the first Content-Type header, parameters dropped ('' when none). */
  readonly mediaType: string;
  readonly bodyLength: number;
  /** Signed correctly by a known key and left alone. */
  readonly intact: boolean;
  readonly bytes: Buffer;
}

const MEDIA_TYPE = { json: 'application/x-amz-json-1.1', cbor: 'application/x-amz-cbor-1.1' } as const;

const envelopes = new Map<boolean, fc.Arbitrary<Envelope>>();

/** Envelopes; with `strict`, more of them carry real signatures (strict auth refuses the rest at once). */
export function envelopeArbitrary(strict = false): fc.Arbitrary<Envelope> {
  let arbitrary = envelopes.get(strict);
  if (arbitrary === undefined) {
    envelopes.set(strict, (arbitrary = fc.record({
      method: fc.oneof({ weight: 30, arbitrary: fc.constant('POST') }, { weight: 3, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE') }),
      contentType: fc.oneof({ weight: 7, arbitrary: fc.constant('match' as const) }, { weight: 3, arbitrary: contentTypeVariant() }),
      target: fc.oneof({ weight: 7, arbitrary: fc.constant('match' as const) }, { weight: 2, arbitrary: fc.constantFrom(`${TARGET_PREFIX}.ListStreams`, undefined) }, { weight: 2, arbitrary: headerTarget() }),
      auth: authPlan(strict),
      extra: fc.oneof({ weight: 3, arbitrary: fc.constant<Array<[string, string]>>([]) }, { weight: 2, arbitrary: extraHeaders() }),
      framing: fc.oneof({ weight: 16, arbitrary: fc.constant('length' as const) }, { weight: 3, arbitrary: fc.constant('chunked' as const) }, { weight: 1, arbitrary: fc.constant('http10' as const) }),
      chunkSizes: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 4 }),
      omitHost: fc.oneof({ weight: 40, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      close: fc.oneof({ weight: 40, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    })));
  }
  return arbitrary;
}

export function framedPlanArbitrary(strict = false): fc.Arbitrary<FramedPlan> {
  return fc.tuple(envelopeArbitrary(strict), bodyArbitrary()).map(([envelope, body]) => ({ ...envelope, body }));
}

function headerTarget(): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    fc.constantFrom(`${TARGET_PREFIX}.Nope`, TARGET_PREFIX, '', `Firehose_20150804.PutRecord`, `${TARGET_PREFIX}.__proto__`),
    headerText(30).map((text) => `${TARGET_PREFIX}.${text}`),
  );
}

function mediaTypeOf(value: string | undefined): string {
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Request headers before authentication, from a plan (Host and framing come later). */
function headersOf(plan: FramedPlan): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const contentType = plan.contentType === 'match' ? (plan.body.encoding === 'other' ? 'application/x-amz-json-1.1' : MEDIA_TYPE[plan.body.encoding]) : plan.contentType;
  if (contentType !== undefined) headers.push(['Content-Type', contentType]);
  const target = plan.target === 'match' ? `${TARGET_PREFIX}.${plan.body.operation}` : plan.target;
  if (target !== undefined) headers.push(['X-Amz-Target', target]);
  headers.push(...plan.extra);
  return headers;
}

export function describeFramed(plan: FramedPlan): string {
  return `${plan.method} ${plan.framing} ${plan.body.operation} [${plan.body.note}] auth=${plan.auth.kind}${'tamper' in plan.auth ? `/${plan.auth.tamper}` : ''}`;
}

function headLines(requestLine: string, headers: ReadonlyArray<readonly [string, string]>): string {
  return `${requestLine}\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}`;
}

export function chunkedBody(body: Buffer, sizes: readonly number[]): Buffer {
  const parts: Buffer[] = [];
  let position = 0;
  let index = 0;
  while (position < body.length) {
    const size = Math.min(sizes[index++ % sizes.length]!, body.length - position);
    parts.push(Buffer.from(`${size.toString(16)}\r\n`), body.subarray(position, position + size), Buffer.from('\r\n'));
    position += size;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

/** The bytes of a framed request, signed (or not) as its plan says. */
export async function renderFramed(plan: FramedPlan, context: SigningContext, label: string): Promise<SentRequest> {
  const unsigned = { method: plan.method, path: '/', headers: headersOf(plan), body: plan.body.bytes };
  const request = await authenticate(unsigned, plan.auth, context);
  const headers: Array<[string, string]> = [...request.headers];
  if (!plan.omitHost) headers.unshift(['Host', context.host]);
  if (plan.close) headers.push(['Connection', 'close']);
  let payload: Buffer;
  if (plan.framing === 'chunked') {
    headers.push(['Transfer-Encoding', 'chunked']);
    payload = chunkedBody(request.body, plan.chunkSizes);
  } else {
    headers.push(['Content-Length', String(request.body.length)]);
    payload = request.body;
  }
  const version = plan.framing === 'http10' ? 'HTTP/1.0' : 'HTTP/1.1';
  const head = headLines(`${plan.method} ${request.path} ${version}`, headers);
  const firstContentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return {
    label,
    method: plan.method,
    mediaType: mediaTypeOf(firstContentType),
    bodyLength: request.body.length,
    intact: request.intact && !plan.omitHost,
    bytes: Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), payload]),
  };
}

/** A connection whose request framing is broken or cut short; it is used once and then closed. */
export interface BrokenPlan {
  readonly kind: string;
  /** Well-formed requests pipelined ahead of the broken one. */
  readonly prefix: FramedPlan[];
  readonly base: FramedPlan;
  readonly variant: number;
  readonly cutAt: number;
  /** end: half-close and wait for the server to answer or close; destroy: reset at once. */
  readonly ending: 'end' | 'destroy';
  readonly segments: number;
  readonly garbage: Uint8Array;
}

const BROKEN_KINDS = [
  'cl-short', 'cl-long', 'cl-bad', 'cl-duplicate', 'cl-and-te', 'te-bad', 'chunked-broken', 'cut-head', 'cut-body',
  'request-line', 'header-syntax', 'huge-head', 'garbage', 'upgrade', 'split-writes', 'preface-prefix',
] as const;

const brokenPlans = new Map<boolean, fc.Arbitrary<BrokenPlan>>();

export function brokenPlanArbitrary(strict = false): fc.Arbitrary<BrokenPlan> {
  let arbitrary = brokenPlans.get(strict);
  if (arbitrary === undefined) brokenPlans.set(strict, (arbitrary = buildBrokenPlan(strict)));
  return arbitrary;
}

function buildBrokenPlan(strict: boolean): fc.Arbitrary<BrokenPlan> {
  return fc.record({
    kind: fc.constantFrom(...BROKEN_KINDS),
    prefix: fc.oneof({ weight: 3, arbitrary: fc.constant<FramedPlan[]>([]) }, { weight: 1, arbitrary: fc.array(framedPlanArbitrary(strict), { minLength: 1, maxLength: 3 }) }),
    base: framedPlanArbitrary(strict),
    variant: fc.nat(1000),
    cutAt: fc.double({ min: 0, max: 1, noNaN: true }),
    ending: fc.constantFrom('end' as const, 'destroy' as const),
    segments: fc.integer({ min: 1, max: 6 }),
    garbage: fc.uint8Array({ minLength: 1, maxLength: 600 }),
  });
}

const CL_BAD = ['-1', 'abc', '1e3', '0x10', '', ' 12', '12 34', '+5', '99999999999999999999', '1,2', '1.0', '\u0663', '-0', '18446744073709551616'];
const TE_BAD = ['chunked, gzip', 'gzip', 'xchunked', 'chunked\t', 'identity', 'chunked, chunked', 'gzip, chunked', 'CHUNKED', 'chunked;q=1'];
const CHUNKED_BROKEN = [
  'zz\r\nabc\r\n0\r\n\r\n', '3\r\nabcdef\r\n0\r\n\r\n', '10\r\nabc', '-1\r\nabc\r\n0\r\n\r\n', 'ffffffffffffffff\r\nabc\r\n', 'fffffffff\r\nabc\r\n',
  '3;\u0001\r\nabc\r\n0\r\n\r\n', '3\r\nabc\r\n', '3\r\nabc\r\n0\r\nX-Trailer: \u0000\r\n\r\n', '3\nabc\n0\n\n', '3\r\nabc0\r\n\r\n', ' 3\r\nabc\r\n0\r\n\r\n',
  '3 \r\nabc\r\n0\r\n\r\n', '0x3\r\nabc\r\n0\r\n\r\n', '3\r\nabc\r\n0\r\nContent-Length: 5\r\n\r\n', '\r\n\r\n',
];
const REQUEST_LINES = [
  'POST', 'POST /', 'POST / HTTP/1.1 extra', 'POST  /  HTTP/1.1', 'GET / HTTP/9.9', 'POST / HTTP/2.0', 'post / HTTP/1.1', 'POST\t/\tHTTP/1.1',
  'POST http://127.0.0.1/ HTTP/1.1', 'POST * HTTP/1.1', 'POST /%zz HTTP/1.1', 'POST /\u0000 HTTP/1.1', 'FOO / HTTP/1.1', 'CONNECT 127.0.0.1:1 HTTP/1.1',
  'PRI * HTTP/1.1', ' POST / HTTP/1.1', 'POST / HTTP/1.1\r\n', 'POST / HTTP/01.1', 'POST / HTTP/1.10', 'POST / http/1.1', '\u00ff\u00fe / HTTP/1.1',
];
const HEADER_LINES = [
  'NoColon', 'Space Name: x', 'Name : x', 'X-Nul: a\u0000b', 'X-CR: a\rb', ': empty-name', 'X-Fold: a\r\n folded', '\tX-Tab: x',
  'X-\u00ff: latin', 'Content-Type:\u0001', 'Host: a\r\nHost: b', 'X-Amz-Target: Kinesis_20131202.ListStreams\r\nX-Amz-Target: Kinesis_20131202.PutRecord',
  'Content-Type: application/x-amz-json-1.1\r\nContent-Type: application/x-amz-cbor-1.1', 'X-Bare-LF: x\nY: y', '\u007f: del',
];

function nth<T>(items: readonly T[], variant: number): T {
  return items[variant % items.length]!;
}

/** The bytes of a broken connection, as segments written one after another. */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export interface RenderedBroken {
  readonly prefix: SentRequest[];
  readonly segments: Buffer[];
  readonly note: string;
  /** Starts with the whole HTTP/2 preface: the server answers in HTTP/2 frames. */
  readonly http2: boolean;
  /** The method of the request line actually sent (HEAD answers carry no body). */
  readonly method: string;
}

export async function renderBroken(plan: BrokenPlan, context: SigningContext, label: string): Promise<RenderedBroken> {
  const prefix: SentRequest[] = [];
  for (const [index, request] of plan.prefix.entries()) prefix.push(await renderFramed({ ...request, close: false, framing: 'length' }, context, `${label}/prefix${index}`));
  const base = await renderFramed({ ...plan.base, close: false, framing: 'length', omitHost: false }, context, label);
  const text = base.bytes.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  const head = text.slice(0, headEnd);
  const body = base.bytes.subarray(headEnd + 4);
  const [requestLine, ...headerLines] = head.split('\r\n');
  const withoutLength = headerLines.filter((line) => !/^content-length:/i.test(line));
  const build = (lines: string[], rest: Buffer | string = body) =>
    Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.isBuffer(rest) ? rest : Buffer.from(rest, 'latin1')]);
  const bodyBytes = body.length === 0 ? Buffer.from('{"StreamName":"fuzz-target"}') : body;
  let bytes: Buffer;
  let note: string = plan.kind;
  switch (plan.kind) {
    case 'cl-short':
      bytes = build([requestLine!, ...withoutLength, `Content-Length: ${Math.max(0, bodyBytes.length - 1 - (plan.variant % Math.max(1, bodyBytes.length)))}`], bodyBytes);
      break;
    case 'cl-long': {
      // One in ten declares more than the 16 MiB body limit (413 before any body is read).
      const declared = plan.variant % 10 === 0 ? 17_000_000 + plan.variant : bodyBytes.length + 1 + plan.variant * 97;
      note += ` ${declared}`;
      bytes = build([requestLine!, ...withoutLength, `Content-Length: ${declared}`], bodyBytes);
      break;
    }
    case 'cl-bad':
      note += ` ${JSON.stringify(nth(CL_BAD, plan.variant))}`;
      bytes = build([requestLine!, ...withoutLength, `Content-Length: ${nth(CL_BAD, plan.variant)}`], bodyBytes);
      break;
    case 'cl-duplicate':
      bytes = build([requestLine!, ...withoutLength, `Content-Length: ${bodyBytes.length}`, `Content-Length: ${plan.variant % 2 === 0 ? bodyBytes.length : bodyBytes.length + 1}`], bodyBytes);
      break;
    case 'cl-and-te':
      bytes = build([requestLine!, ...withoutLength, `Content-Length: ${bodyBytes.length}`, 'Transfer-Encoding: chunked'], chunkedBody(bodyBytes, [7]));
      break;
    case 'te-bad':
      note += ` ${JSON.stringify(nth(TE_BAD, plan.variant))}`;
      bytes = build([requestLine!, ...withoutLength, `Transfer-Encoding: ${nth(TE_BAD, plan.variant)}`, ...(plan.variant % 3 === 0 ? [`Content-Length: ${bodyBytes.length}`] : [])], chunkedBody(bodyBytes, [5]));
      break;
    case 'chunked-broken':
      note += ` ${JSON.stringify(nth(CHUNKED_BROKEN, plan.variant))}`;
      bytes = build([requestLine!, ...withoutLength, 'Transfer-Encoding: chunked'], nth(CHUNKED_BROKEN, plan.variant));
      break;
    case 'cut-head': {
      const full = build([requestLine!, ...headerLines], body);
      bytes = full.subarray(0, Math.max(1, Math.floor((headEnd + 3) * plan.cutAt)));
      break;
    }
    case 'cut-body':
      bytes = build([requestLine!, ...withoutLength, `Content-Length: ${bodyBytes.length}`], bodyBytes.subarray(0, Math.floor((bodyBytes.length - 1) * plan.cutAt)));
      break;
    case 'request-line':
      note += ` ${JSON.stringify(nth(REQUEST_LINES, plan.variant))}`;
      bytes = build([nth(REQUEST_LINES, plan.variant), ...headerLines]);
      break;
    case 'header-syntax': {
      note += ` ${JSON.stringify(nth(HEADER_LINES, plan.variant))}`;
      const lines = [...headerLines];
      lines.splice(plan.variant % (lines.length + 1), 0, nth(HEADER_LINES, plan.variant));
      bytes = build([requestLine!, ...lines]);
      break;
    }
    case 'huge-head': {
      const big = plan.variant % 3 === 0
        ? [`X-Big: ${'b'.repeat(20_000 + plan.variant * 50)}`]
        : plan.variant % 3 === 1 ? Array.from({ length: 2000 }, (_, index) => `X-H${index}: v`) : [`X-Amz-Target: ${TARGET_PREFIX}.${'A'.repeat(70_000)}`];
      note += ` ${big.length} lines`;
      bytes = build([requestLine!, ...headerLines, ...big]);
      break;
    }
    case 'garbage': {
      const garbage = Buffer.from(plan.garbage);
      const flavour = plan.variant % 5;
      note += ` ${['random', 'tls-hello', 'h2-preface+frames', 'ssh', 'nul'][flavour]}`;
      bytes =
        flavour === 0 ? garbage
        : flavour === 1 ? Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]), garbage])
        : flavour === 2 ? Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]), garbage])
        : flavour === 3 ? Buffer.from('SSH-2.0-OpenSSH_9.6\r\n', 'latin1')
        : Buffer.alloc(garbage.length);
      break;
    }
    case 'upgrade': {
      const upgrades = [
        ['Connection: Upgrade, HTTP2-Settings', 'Upgrade: h2c', 'HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA'],
        ['Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'],
        ['Connection: Upgrade', 'Upgrade: \u00ff'],
      ];
      bytes = build([requestLine!, ...headerLines, ...nth(upgrades, plan.variant)]);
      break;
    }
    case 'split-writes':
      // Well formed, in pieces: the sniffer must wait for enough bytes and HTTP/1.1 reassemble them.
      bytes = build([requestLine!, ...headerLines]);
      break;
    default: {
      // A prefix of the HTTP/2 preface, then something else or nothing.
      const preface = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
      bytes = Buffer.concat([Buffer.from(preface.slice(0, 1 + (plan.variant % (preface.length - 1))), 'latin1'), plan.variant % 2 === 0 ? Buffer.from(plan.garbage) : Buffer.alloc(0)]);
    }
  }
  const segments: Buffer[] = [];
  const count = plan.kind === 'split-writes' ? Math.min(bytes.length, 3 + plan.segments * 3) : Math.min(bytes.length, plan.segments);
  const step = Math.ceil(bytes.length / Math.max(1, count));
  for (let position = 0; position < bytes.length; position += step) segments.push(bytes.subarray(position, position + step));
  const http2 = prefix.length === 0 && bytes.length >= H2_PREFACE.length && bytes.subarray(0, H2_PREFACE.length).equals(H2_PREFACE);
  const method = plan.kind === 'request-line' ? nth(REQUEST_LINES, plan.variant).trim().split(/[ \t]/)[0]! : plan.base.method;
  return { prefix, segments, note, http2, method };
}
