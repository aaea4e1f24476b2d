import fc from 'fast-check';
import { OPERATION_NAMES } from './operation-documents.js';

export const TARGET_PREFIX = 'Kinesis_20131202';

/** Content-Type values besides the right one: the other protocol, case and parameter variants, garbage. */
export const CONTENT_TYPES = [
  'application/x-amz-json-1.1', 'application/x-amz-cbor-1.1', 'application/json', 'application/x-amz-json-1.0',
  'APPLICATION/X-AMZ-JSON-1.1', 'application/x-amz-json-1.1; charset=utf-8', 'application/x-amz-cbor-1.1;q=0.5',
  ' application/x-amz-json-1.1 ', 'application/x-amz-json-1.1,application/x-amz-cbor-1.1', 'application/cbor',
  'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', '*/*',
  'application/', '/', ';', 'application/x-amz-json-1.1\t', 'application/x-amz-json-1.1;;;;', 'application/vnd.amazon.eventstream',
] as const;

/** A header value of printable ASCII and Latin-1 (what HTTP/1.1 parsers accept), or nothing printable at all. */
export const headerText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })).map((code) => String.fromCharCode(code)), maxLength });

export function contentTypeVariant(): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
    { weight: 1, arbitrary: headerText(30) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** X-Amz-Target values: other operations, unknown ones, wrong prefixes and separators, huge, missing. */
export function targetVariant(): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...OPERATION_NAMES).map((operation) => `${TARGET_PREFIX}.${operation}`) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        TARGET_PREFIX, `${TARGET_PREFIX}.`, `${TARGET_PREFIX}.PutRecord.Extra`, `kinesis_20131202.PutRecord`, `${TARGET_PREFIX}.putrecord`,
        'Firehose_20150804.PutRecord', 'DynamoDB_20120810.ListTables', '.PutRecord', '', ' ', `${TARGET_PREFIX}.__proto__`,
        `${TARGET_PREFIX}.constructor`, `${TARGET_PREFIX}.hasOwnProperty`, `${TARGET_PREFIX}.toString`, '__proto__.PutRecord',
        `${TARGET_PREFIX} .PutRecord`, `${TARGET_PREFIX}.PutRecord `, `${TARGET_PREFIX}..PutRecord`, `${TARGET_PREFIX}.SubscribeToShard`,
        `Kinesis_20131202.PutRecord, Kinesis_20131202.ListStreams`, `Kinesis_20131203.ListStreams`, 'Kinesis.ListStreams',
      ),
    },
    { weight: 1, arbitrary: headerText(60).map((text) => `${TARGET_PREFIX}.${text}`) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 8000 }).map((length) => `${TARGET_PREFIX}.${'A'.repeat(length)}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** What to tamper with after a correct signature was computed. */
export const TAMPERS = [
  'none', 'body', 'target', 'date', 'signature', 'signed-headers-drop', 'signed-headers-add', 'credential-region',
  'credential-service', 'algorithm', 'signature-case', 'duplicate-date', 'strip-date',
] as const;
export type Tamper = (typeof TAMPERS)[number];

export type SigningKey = 'good' | 'unknown' | 'wrong-secret';

export type AuthPlan =
  | { readonly kind: 'none' }
  /** What every SDK sends, unverified: testkit's authorizationHeaders. */
  | { readonly kind: 'fake' }
  | { readonly kind: 'header'; readonly authorization: string; readonly dates: ReadonlyArray<readonly [string, string]> }
  | {
      readonly kind: 'signed' | 'presigned';
      readonly key: SigningKey;
      readonly region: string;
      readonly service: string;
      /** Seconds added to the signing date: beyond 300 is outside AWS's clock-skew allowance. */
      readonly skewSeconds: number;
      readonly expiresSeconds: number;
      readonly tamper: Tamper;
      readonly contentSha256Header: boolean;
    }
  | { readonly kind: 'query'; readonly query: string; readonly alsoHeader: boolean };

const AMZ_DATE_GARBAGE = ['', 'x', '20991231T235959Z', '19700101T000000Z', '2024-01-01T00:00:00Z', '20240101T000000', '20241301T250000Z', '00000000T000000Z', '20240101T000000Z20240101T000000Z', '-1', '99999999999999999999'];
const DATE_HEADERS = ['Mon, 01 Jan 2024 00:00:00 GMT', 'Thu, 01 Jan 1970 00:00:00 GMT', 'yesterday', '', 'Tue, 32 Foo 2024 99:99:99 XYZ'];

/** Authorization headers broken in each of their parts: algorithm, Credential scope, SignedHeaders, Signature. */
function authorizationText(): fc.Arbitrary<string> {
  const credential = fc.oneof(
    fc.constantFrom(
      'AKIDRIFFLETEST/20240101/us-east-1/kinesis/aws4_request', 'AKIDRIFFLETEST', 'AKIDRIFFLETEST/20240101', '/////', '',
      'AKIDRIFFLETEST/20240101/us-east-1/kinesis/aws4_request/extra', 'AKIDRIFFLETEST/x/y/z/w', 'AKID RIFFLE/20240101/us-east-1/kinesis/aws4_request',
      '/20240101/us-east-1/kinesis/aws4_request', 'AKIDRIFFLETEST/20240101/us-east-1/s3/aws4_request', 'AKIDRIFFLETEST/20240101//kinesis/aws4_request',
      'AKIDRIFFLETEST/20240101/us-east-1/kinesis/aws5_request', 'AKIDRIFFLETEST=/20240101/us-east-1/kinesis/aws4_request',
    ),
    headerText(80).filter((text) => !text.includes(',')),
    fc.integer({ min: 500, max: 6000 }).map((length) => `${'A'.repeat(length)}/20240101/us-east-1/kinesis/aws4_request`),
  );
  const signedHeaders = fc.constantFrom('content-type;host;x-amz-date;x-amz-target', 'host', '', ';;;', 'HOST', 'content-type;host;x-amz-date;x-amz-target;nope', 'x-amz-date;host', 'a'.repeat(300));
  const signature = fc.oneof(
    fc.constantFrom('0'.repeat(64), '', 'z'.repeat(64), '0'.repeat(63), '0'.repeat(65), 'F'.repeat(64), '0'.repeat(10_000)),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdefg'), maxLength: 70 }),
  );
  const algorithm = fc.constantFrom('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512', 'AWS4-ECDSA-P256-SHA256', 'aws4-hmac-sha256', 'AWS3', 'Basic', 'Bearer', '');
  const part = (name: string, value: fc.Arbitrary<string>) =>
    fc.oneof({ weight: 6, arbitrary: value.map((text) => `${name}=${text}`) }, { weight: 1, arbitrary: fc.constantFrom('', name, `${name}=`, `${name.toLowerCase()}=x`, `${name}==`) });
  const structured = fc
    .tuple(algorithm, fc.shuffledSubarray([0, 1, 2, 3], { minLength: 0, maxLength: 4 }), part('Credential', credential), part('SignedHeaders', signedHeaders), part('Signature', signature), fc.constantFrom(', ', ',', ' ', ',,', '\t', ' , '))
    .map(([alg, order, cred, signed, sig, separator]) => {
      const parts = order.map((index) => [cred, signed, sig, `${['Credential', 'Signature'][index % 2]}=dup`][index]!);
      return `${alg} ${parts.join(separator)}`;
    });
  return fc.oneof(
    { weight: 8, arbitrary: structured },
    { weight: 1, arbitrary: headerText(100) },
    { weight: 1, arbitrary: fc.constantFrom('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA256 ', ' ', '=', ',,,,', 'Credential=a/b/c/d/e, SignedHeaders=host, Signature=00') },
  );
}

function dateHeaders(): fc.Arbitrary<ReadonlyArray<readonly [string, string]>> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant([['X-Amz-Date', 'NOW']] as const) },
    { weight: 2, arbitrary: fc.constantFrom(...AMZ_DATE_GARBAGE).map((value) => [['X-Amz-Date', value]] as const) },
    { weight: 1, arbitrary: fc.constantFrom(...DATE_HEADERS).map((value) => [['Date', value]] as const) },
    { weight: 1, arbitrary: fc.constant([] as const) },
    { weight: 1, arbitrary: fc.constant([['X-Amz-Date', 'NOW'], ['X-Amz-Date', '19700101T000000Z']] as const) },
  );
}

const PRESIGN_PARAMETERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-Security-Token'];

/** Presigned-query garbage: parameters missing, empty, repeated, badly percent-encoded, huge. */
function presignGarbage(): fc.Arbitrary<string> {
  const value = fc.oneof(
    fc.constantFrom('AWS4-HMAC-SHA256', 'AKIDRIFFLETEST%2F20240101%2Fus-east-1%2Fkinesis%2Faws4_request', '0'.repeat(64), 'host', 'NOW', '300', '-1', '604801', '99999999999999999999', ''),
    fc.constantFrom('%', '%zz', '%ff%fe', '%00', '%E2%80%AE', '+', '&', '=', '%25', '%%%'),
    fc.string({ unit: fc.constantFrom(...'abcXYZ019%=+&;/?#'), maxLength: 30 }),
  );
  const pair = fc.tuple(fc.constantFrom(...PRESIGN_PARAMETERS, 'x-amz-algorithm', 'X-Amz-Algorithm[]', 'Action', ''), value).map(([name, text]) => `${name}=${text}`);
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(pair, { minLength: 1, maxLength: 9 }).map((pairs) => `X-Amz-Algorithm=AWS4-HMAC-SHA256&${pairs.join('&')}`) },
    { weight: 1, arbitrary: fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.join('&')) },
    { weight: 1, arbitrary: fc.constantFrom('&&&&', '=', '?', 'X-Amz-Algorithm', 'X-Amz-Algorithm=', `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${'A'.repeat(4000)}`) },
  );
}

/** Authentication of every kind; `strict` weighs real signatures (tampered or not) more. */
export function authPlan(strict = false): fc.Arbitrary<AuthPlan> {
  const anySigned = (kind: 'signed' | 'presigned') =>
    fc.record({
      kind: fc.constant(kind),
      key: fc.constantFrom<SigningKey>('good', 'good', 'good', 'unknown', 'wrong-secret'),
      region: fc.constantFrom('us-east-1', 'us-east-1', 'us-east-1', 'us-west-2', 'nowhere-1', ''),
      service: fc.constantFrom('kinesis', 'kinesis', 'kinesis', 'firehose', 's3', ''),
      skewSeconds: fc.constantFrom(0, 0, 0, 0, -240, 240, -400, 400, -86_400, 86_400 * 365),
      expiresSeconds: fc.constantFrom(300, 300, 1, 604_800, 604_801),
      tamper: fc.oneof({ weight: 6, arbitrary: fc.constant<Tamper>('none') }, { weight: 6, arbitrary: fc.constantFrom(...TAMPERS) }),
      contentSha256Header: fc.boolean(),
    });
  // Strict auth refuses all but correct signatures at once: half of them are left correct, to reach the handlers.
  const correct = (kind: 'signed' | 'presigned') =>
    fc.boolean().map((contentSha256Header): AuthPlan => ({ kind, key: 'good', region: 'us-east-1', service: 'kinesis', skewSeconds: 0, expiresSeconds: 300, tamper: 'none', contentSha256Header }));
  const signed = (kind: 'signed' | 'presigned') => (strict ? fc.oneof(anySigned(kind), correct(kind)) : anySigned(kind));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<AuthPlan>({ kind: 'none' }) },
    { weight: 14, arbitrary: fc.constant<AuthPlan>({ kind: 'fake' }) },
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('header' as const), authorization: authorizationText(), dates: dateHeaders() }) },
    { weight: strict ? 24 : 5, arbitrary: signed('signed') },
    { weight: strict ? 8 : 2, arbitrary: signed('presigned') },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('query' as const), query: presignGarbage(), alsoHeader: fc.boolean() }) },
  );
}

/** Headers that SDKs, proxies and browsers add, with odd values; some repeat what the request already has. */
export function extraHeaders(): fc.Arbitrary<Array<[string, string]>> {
  const name = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        'x-amz-target', 'content-type', 'x-amz-date', 'authorization', 'accept', 'accept-encoding', 'content-encoding', 'origin',
        'access-control-request-method', 'access-control-request-headers', 'user-agent', 'x-amz-user-agent', 'amz-sdk-invocation-id',
        'amz-sdk-request', 'x-amzn-trace-id', 'x-amz-security-token', 'x-amz-content-sha256', 'x-forwarded-for', 'te', 'expect',
        'cookie', 'range', 'if-none-match', 'x-amz-expires', 'keep-alive', 'proxy-connection', 'x-http-method-override',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'abcdefxyz-_!#$%&\'*+.^`|~0123456789'), minLength: 1, maxLength: 20 }) },
  );
  const value = fc.oneof(
    { weight: 3, arbitrary: headerText(40) },
    { weight: 1, arbitrary: fc.constantFrom('100-continue', 'gzip', 'chunked', 'trailers', '*', 'http://example.com', 'null', 'Kinesis_20131202.ListStreams', 'application/x-amz-cbor-1.1') },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 4000 }).map((length) => 'v'.repeat(length)) },
  );
  return fc.array(fc.tuple(name, value).map(([n, v]): [string, string] => [n, v]), { maxLength: 6 });
}
