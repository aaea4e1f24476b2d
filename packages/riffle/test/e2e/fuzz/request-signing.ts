import { authorizationHeaders, presignRequest, signRequest, type SigningCredentials } from '@riffle/testkit';
import type { AuthPlan, Tamper } from './malformed-headers.js';

/** What a request is signed with and sent to. */
export interface SigningContext {
  /** `127.0.0.1:port`. */
  readonly host: string;
  /** A key the server knows (any key, unless it runs with strict auth). */
  readonly credentials: SigningCredentials;
}

/** A request before its authentication is applied: headers in order (names may repeat), without Host or framing. */
export interface UnsignedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

export interface AuthenticatedRequest {
  readonly path: string;
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
  /** A correct signature by a known key, nothing changed after signing: strict auth must let it through. */
  readonly intact: boolean;
}

const SIGNATURE_HEADERS = new Set(['authorization', 'x-amz-date', 'date', 'x-amz-security-token', 'x-amz-content-sha256', 'x-amz-expires']);

const UNKNOWN_KEY: SigningCredentials = { accessKeyId: 'AKIDFUZZUNKNOWNKEY01', secretAccessKey: 'unknown-secret' };

function amzDateOf(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Applies an AuthPlan: nothing, the SDK-shaped fake, broken Authorization texts, real signatures (tampered or not). */
export async function authenticate(request: UnsignedRequest, plan: AuthPlan, context: SigningContext): Promise<AuthenticatedRequest> {
  const headers: Array<[string, string]> = request.headers.map(([name, value]) => [name, value]);
  const now = new Date();
  const nowText = amzDateOf(now);
  switch (plan.kind) {
    case 'none':
      return { path: request.path, headers, body: request.body, intact: false };
    case 'fake': {
      const fake = authorizationHeaders(now);
      headers.push(['X-Amz-Date', fake['X-Amz-Date']!], ['Authorization', fake.Authorization!]);
      return { path: request.path, headers, body: request.body, intact: false };
    }
    case 'header':
      for (const [name, value] of plan.dates) headers.push([name, value === 'NOW' ? nowText : value]);
      headers.push(['Authorization', plan.authorization.replace('20240101', nowText.slice(0, 8))]);
      return { path: request.path, headers, body: request.body, intact: false };
    case 'query': {
      const query = plan.query.replaceAll('NOW', nowText);
      if (plan.alsoHeader) headers.push(['Authorization', authorizationHeaders(now).Authorization!]);
      const separator = request.path.includes('?') ? '&' : '?';
      return { path: `${request.path}${separator}${query}`, headers, body: request.body, intact: false };
    }
    case 'signed':
    case 'presigned':
      return sign(request, plan, context, headers, new Date(now.getTime() + plan.skewSeconds * 1000));
  }
}

async function sign(
  request: UnsignedRequest,
  plan: Extract<AuthPlan, { kind: 'signed' | 'presigned' }>,
  context: SigningContext,
  headers: Array<[string, string]>,
  date: Date,
): Promise<AuthenticatedRequest> {
  const credentials =
    plan.key === 'good' ? context.credentials
    : plan.key === 'unknown' ? UNKNOWN_KEY
    : { accessKeyId: context.credentials.accessKeyId, secretAccessKey: `${context.credentials.secretAccessKey}-wrong` };
  // The signer sees one value per name; a repeated header is sent twice but signed once.
  const toSign: Record<string, string> = {};
  const seen = new Set<string>();
  let repeated = false;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (seen.has(lower)) repeated = true;
    else toSign[lower] = value;
    seen.add(lower);
  }
  const input = {
    host: context.host,
    method: request.method,
    path: request.path,
    headers: toSign,
    body: request.body,
    credentials,
    region: plan.region,
    service: plan.service,
    date,
    contentSha256Header: plan.contentSha256Header,
  };
  let path = request.path;
  let sent: Array<[string, string]>;
  if (plan.kind === 'signed') {
    const signed = await signRequest(input);
    sent = [...headers.filter(([name]) => !['host'].includes(name.toLowerCase()))];
    for (const [name, value] of Object.entries(signed)) if (!seen.has(name) && name !== 'host') sent.push([name, value]);
  } else {
    // The signer refuses more than a week; a longer expiry is written over a week-long one (and breaks the signature).
    const presigned = await presignRequest({ ...input, expiresInSeconds: Math.min(plan.expiresSeconds, 604_800) });
    path = plan.expiresSeconds > 604_800 ? presigned.path.replace('X-Amz-Expires=604800', `X-Amz-Expires=${plan.expiresSeconds}`) : presigned.path;
    sent = headers;
  }
  const tampered = tamper(plan.tamper, { path, headers: sent, body: request.body });
  // Headers of the signature's own that the request also carries replace or contradict the signer's.
  const conflicting = headers.some(([name]) => SIGNATURE_HEADERS.has(name.toLowerCase())) || /[?&]x-amz-/i.test(request.path);
  const intact =
    plan.tamper === 'none' && plan.key === 'good' && plan.region === 'us-east-1' && plan.service === 'kinesis' &&
    Math.abs(plan.skewSeconds) < 300 && !repeated && !conflicting &&
    (plan.kind === 'signed' || (plan.expiresSeconds >= 300 && plan.expiresSeconds <= 604_800));
  return { ...tampered, intact };
}

function tamper(kind: Tamper, request: { path: string; headers: Array<[string, string]>; body: Buffer }) {
  let { path, body } = request;
  const headers = request.headers.map(([name, value]): [string, string] => [name, value]);
  const authorization = headers.find(([name]) => name.toLowerCase() === 'authorization');
  const edit = (change: (text: string) => string) => {
    if (authorization) authorization[1] = change(authorization[1]);
    else path = change(path);
  };
  switch (kind) {
    case 'none':
      break;
    case 'body':
      body = body.length === 0 ? Buffer.from('x') : Buffer.concat([body.subarray(0, -1), Buffer.from([body[body.length - 1]! ^ 1])]);
      break;
    case 'target': {
      const target = headers.find(([name]) => name.toLowerCase() === 'x-amz-target');
      if (target) target[1] = target[1].endsWith('ListStreams') ? 'Kinesis_20131202.DescribeLimits' : 'Kinesis_20131202.ListStreams';
      else headers.push(['X-Amz-Target', 'Kinesis_20131202.ListStreams']);
      break;
    }
    case 'date': {
      const date = headers.find(([name]) => name.toLowerCase() === 'x-amz-date');
      if (date) date[1] = date[1].replace(/\d(?=Z$)/, (digit) => String((Number(digit) + 1) % 10));
      else path = path.replace(/(X-Amz-Date=\d{8}T\d{5})(\d)/, (_, head: string, digit: string) => `${head}${(Number(digit) + 1) % 10}`);
      break;
    }
    case 'signature':
      edit((text) => text.replace(/(Signature=[0-9a-f]{10})([0-9a-f])/, (_, head: string, digit: string) => `${head}${digit === '0' ? '1' : '0'}`));
      break;
    case 'signature-case':
      edit((text) => text.replace(/Signature=([0-9a-f]{64})/, (_, hex: string) => `Signature=${hex.toUpperCase()}`));
      break;
    case 'signed-headers-drop':
      edit((text) => text.replace(/x-amz-target;?|x-amz-target%3B/, ''));
      break;
    case 'signed-headers-add':
      edit((text) => text.replace(/SignedHeaders=([^,&]*)/, (_, list: string) => `SignedHeaders=${list}${text === path ? '%3B' : ';'}x-nope`));
      break;
    case 'credential-region':
      edit((text) => text.replace(/(\/|%2F)us-east-1(\/|%2F)/, '$1us-west-2$2'));
      break;
    case 'credential-service':
      edit((text) => text.replace(/(\/|%2F)kinesis(\/|%2F)/, '$1s3$2'));
      break;
    case 'algorithm':
      edit((text) => text.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA1'));
      break;
    case 'duplicate-date':
      headers.push(['X-Amz-Date', '20150830T123600Z']);
      break;
    case 'strip-date': {
      const index = headers.findIndex(([name]) => name.toLowerCase() === 'x-amz-date');
      if (index >= 0) headers.splice(index, 1);
      else path = path.replace(/X-Amz-Date=[^&]*&?/, '');
      break;
    }
  }
  return { path, headers, body };
}
