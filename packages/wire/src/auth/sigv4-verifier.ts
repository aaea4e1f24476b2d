import { timingSafeEqual } from 'node:crypto';
import type { AccessKeyLookup } from './access-key.js';
import { callerIdentityOf, type CallerIdentity } from './caller-identity.js';
import type { SignatureVerifier, SignedRequest } from './signature-verifier.js';
import { canonicalRequest, decodeQueryComponent as decode, sha256Hex } from './sigv4-canonical-request.js';
import {
  credentialNotFiveParts,
  credentialScopeInvalid,
  dateNotIso8601,
  expiresNotANumber,
  expiresTooLong,
  hostNotSigned,
  scopeDateInvalid,
  scopeRegionInvalid,
  scopeServiceInvalid,
  scopeTerminatorInvalid,
  securityTokenExpired,
  securityTokenInvalid,
  signatureExpired,
  signatureMismatch,
  signatureNotYetCurrent,
  unrecognizedClient,
  unsupportedAlgorithm,
} from './sigv4-errors.js';
import { SigningKeyCache, hmac } from './sigv4-signing-key.js';

export interface SigV4VerifierOptions {
  readonly lookupKey: AccessKeyLookup;
  /** The only region a credential scope may name. */
  readonly region: string;
  /** The signing name, `kinesis`; a request of another service names its own (SignedRequest.service). */
  readonly service: string;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** AWS allows 5 minutes between the request's time and its own. */
  readonly maxClockSkewMs?: number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** SigV4 presigned URLs live at most a week. */
const MAX_EXPIRES_SECONDS = 7 * 24 * 60 * 60;
const ISO8601_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** RFC 7231's IMF-fixdate, the one form HTTP clients send in `Date`. */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Verifies SigV4 as AWS does for Kinesis, header-signed and presigned-query requests alike, and answers the
 * caller. The checks run in AWS's order (sigv4-errors.ts): date format, clock skew or presigned expiry, `host`
 * signed, algorithm, credential shape, credential scope, access key, body hash and signature, session token.
 */
export function createSigV4Verifier(options: SigV4VerifierOptions): SignatureVerifier {
  const keys = new SigningKeyCache();
  const maxSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  return (request) => verify(request, options, maxSkewMs, keys);
}

function verify(request: SignedRequest, options: SigV4VerifierOptions, maxSkewMs: number, keys: SigningKeyCache): CallerIdentity {
  const { credentials, headers } = request;
  const presigned = credentials.source === 'query';
  const query = presigned ? queryParameters(request.url) : undefined;

  const requestTime = presigned ? requestTimeOf(query!.get('X-Amz-Date')!, false) : requestTimeOfHeaders(headers);
  const expiresSeconds = presigned ? expiresOf(query!.get('X-Amz-Expires')) : undefined;
  const now = options.now();
  checkTime(requestTime, now, maxSkewMs, expiresSeconds);

  const signedHeaders = credentials.signedHeaders.toLowerCase();
  const names = signedHeaders.split(';');
  if (!names.includes('host') && !names.includes(':authority')) throw hostNotSigned();
  if (credentials.algorithm !== ALGORITHM) throw unsupportedAlgorithm(credentials.algorithm);

  // Trailing slashes are ignored (dynalite's capture).
  const parts = credentials.credential.replace(/\/+$/, '').split('/');
  if (parts.length !== 5) throw credentialNotFiveParts(credentials.credential);
  const [accessKeyId, scopeDate, region, service, terminator] = parts as [string, string, string, string, string];
  const requestIso = iso8601Basic(requestTime);
  const wrong: string[] = [];
  if (region !== options.region) wrong.push(scopeRegionInvalid(region));
  const expectedService = request.service ?? options.service;
  if (service !== expectedService) wrong.push(scopeServiceInvalid(expectedService));
  if (terminator !== 'aws4_request') wrong.push(scopeTerminatorInvalid(terminator));
  if (scopeDate !== requestIso.slice(0, 8)) wrong.push(scopeDateInvalid(scopeDate, requestIso.slice(0, 8), requestIso));
  if (wrong.length > 0) throw credentialScopeInvalid(wrong);

  const key = options.lookupKey(accessKeyId);
  if (key === undefined) throw unrecognizedClient();

  // The declared body hash stands in the canonical request, so it must be the body's.
  const payloadHash = sha256Hex(request.body);
  const declared = headerValue(headers['x-amz-content-sha256']);
  if (declared !== undefined && declared !== payloadHash) throw signatureMismatch();

  const canonical = canonicalRequest({
    method: request.method,
    url: request.url,
    headers,
    signedHeaders,
    payloadHash,
    omitSignatureParameter: presigned,
  });
  const scope = `${scopeDate}/${region}/${service}/${terminator}`;
  const stringToSign = `${ALGORITHM}\n${requestIso}\n${scope}\n${sha256Hex(canonical)}`;
  const signingKey = keys.signingKey(key.secretAccessKey, scopeDate, region, service);
  const expected = hmac(signingKey, stringToSign).toString('hex');
  if (!constantTimeEqual(expected, credentials.signature)) throw signatureMismatch();

  const token = presigned ? query!.get('X-Amz-Security-Token') : headerValue(headers['x-amz-security-token']);
  const sentToken = token === undefined || token === '' ? undefined : token;
  if (key.sessionToken === undefined) {
    if (sentToken !== undefined) throw securityTokenInvalid();
  } else {
    if (sentToken === undefined || !constantTimeEqual(sentToken, key.sessionToken)) throw securityTokenInvalid();
    if (key.expiration !== undefined && key.expiration.getTime() <= now) throw securityTokenExpired();
  }
  return callerIdentityOf(key);
}

/** `X-Amz-Date` wins over `Date`; only `Date` may also be an HTTP date ("ISO-8601 version of date from HTTP"). */
function requestTimeOfHeaders(headers: SignedRequest['headers']): number {
  const amzDate = headerValue(headers['x-amz-date']);
  if (amzDate) return requestTimeOf(amzDate, false);
  return requestTimeOf(headerValue(headers.date) ?? '', true);
}

function requestTimeOf(value: string, httpDateAllowed: boolean): number {
  const match = ISO8601_BASIC.exec(value);
  if (match) {
    const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
    const time = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
    // Date.UTC rolls 20240231 over into March: a date that does not round-trip is not a date.
    if (iso8601Basic(time) === value) return time;
  } else if (httpDateAllowed && IMF_FIXDATE.test(value)) {
    const time = Date.parse(value);
    if (Number.isFinite(time)) return time;
  }
  throw dateNotIso8601(value);
}

function expiresOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value)) throw expiresNotANumber();
  const seconds = Number(value);
  if (seconds > MAX_EXPIRES_SECONDS) throw expiresTooLong(MAX_EXPIRES_SECONDS);
  return seconds;
}

/**
 * A request's time must be within the allowed skew of ours. A presigned URL with X-Amz-Expires is good for that
 * long instead: AWS's grammar with its window (a capture of this variant was not found; the header form is live).
 */
function checkTime(requestTime: number, now: number, maxSkewMs: number, expiresSeconds: number | undefined): void {
  const pastMs = expiresSeconds === undefined ? maxSkewMs : expiresSeconds * 1000;
  if (requestTime < now - pastMs) {
    throw signatureExpired(iso8601Basic(requestTime), iso8601Basic(now - pastMs), iso8601Basic(now), window(pastMs));
  }
  if (requestTime > now + maxSkewMs) {
    throw signatureNotYetCurrent(iso8601Basic(requestTime), iso8601Basic(now + maxSkewMs), iso8601Basic(now), window(maxSkewMs));
  }
}

/** AWS prints `5 min`; a window of odd seconds as `N sec`. */
function window(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} sec`;
}

let lastTime = Number.NaN;
let lastText = '';

/** yyyymmddThhmmssZ; the last one is kept, since every request of the same second asks for the same text. */
function iso8601Basic(time: number): string {
  if (time !== lastTime) {
    lastText = new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
    lastTime = time;
  }
  return lastText;
}

/** First value of each parameter, decoded as the canonical query decodes it ('+' stays '+'). */
function queryParameters(url: string): Map<string, string> {
  const parameters = new Map<string, string>();
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return parameters;
  for (const parameter of url.slice(queryAt + 1).split('&')) {
    const equals = parameter.indexOf('=');
    const name = decode(equals < 0 ? parameter : parameter.slice(0, equals));
    if (!parameters.has(name)) parameters.set(name, decode(equals < 0 ? '' : parameter.slice(equals + 1)));
  }
  return parameters;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Lengths are not secret; contents are compared in constant time. */
function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
