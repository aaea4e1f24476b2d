import { ServiceError } from '../service-error.js';

/*
 * AWS's answers to a signature that fails verification, in the order AWS checks them. Unless a line says
 * otherwise, texts and types are those captured from live AWS (DynamoDB, the same Coral front end as Kinesis) in
 * the comments of dynalite's and kinesalite's index.js; the clock-skew texts are Kinesis's own (reference §1.6).
 */

export function dateNotIso8601(got: string): ServiceError {
  return new ServiceError('IncompleteSignatureException', `Date must be in ISO-8601 'basic format'. Got '${got}'. See http://en.wikipedia.org/wiki/ISO_8601`);
}

/** `window` as AWS prints it: `5 min` (remind101/logspout-kinesis#21). */
export function signatureExpired(requestTime: string, earliest: string, now: string, window: string): ServiceError {
  return new ServiceError('InvalidSignatureException', `Signature expired: ${requestTime} is now earlier than ${earliest} (${now} - ${window}.)`);
}

/** s12v/awsbeats#48. */
export function signatureNotYetCurrent(requestTime: string, latest: string, now: string, window: string): ServiceError {
  return new ServiceError('InvalidSignatureException', `Signature not yet current: ${requestTime} is still later than ${latest} (${now} + ${window}.)`);
}

/**
 * Not captured from a Coral service: S3's texts for the same faults (its AuthorizationQueryParametersError),
 * under the type Coral gives malformed signature parameters.
 */
export function expiresNotANumber(): ServiceError {
  return new ServiceError('IncompleteSignatureException', 'X-Amz-Expires should be a number');
}

export function expiresTooLong(maxSeconds: number): ServiceError {
  return new ServiceError('IncompleteSignatureException', `X-Amz-Expires must be less than a week (in seconds) that is ${maxSeconds}`);
}

/** The 2013 capture read `'Host' must be ...`; AWS added `:authority` for HTTP/2 (aws/aws-sdk-php#2469). */
export function hostNotSigned(): ServiceError {
  return new ServiceError('InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
}

export function unsupportedAlgorithm(algorithm: string): ServiceError {
  return new ServiceError('IncompleteSignatureException', `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `);
}

export function credentialNotFiveParts(credential: string): ServiceError {
  return new ServiceError(
    'IncompleteSignatureException',
    `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
  );
}

/** Every wrong part of the scope, each sentence as AWS ends it (region and service live: aws-es-curl#15, cllunsford/aws-signing-proxy#25). */
export function credentialScopeInvalid(parts: readonly string[]): ServiceError {
  return new ServiceError('InvalidSignatureException', parts.join(''));
}

export function scopeRegionInvalid(region: string): string {
  return `Credential should be scoped to a valid region, not '${region}'. `;
}

export function scopeServiceInvalid(service: string): string {
  return `Credential should be scoped to correct service: '${service}'. `;
}

export function scopeTerminatorInvalid(terminator: string): string {
  return `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `;
}

export function scopeDateInvalid(scopeDate: string, requestDate: string, requestTime: string): string {
  return `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${requestDate}', from '${requestTime}'.`;
}

/** Live from Kinesis (awslabs/amazon-kinesis-scaling-utils#46). */
export function unrecognizedClient(): ServiceError {
  return new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.');
}

/** Live from Kinesis (apache/camel-k#1608). */
export function signatureMismatch(): ServiceError {
  return new ServiceError(
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
}

/** A wrong or missing X-Amz-Security-Token: the capture has no final full stop, unlike the unknown-key text. */
export function securityTokenInvalid(): ServiceError {
  return new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid');
}

/** AWS's generic wording; not captured from Kinesis itself (reference §1.6). */
export function securityTokenExpired(): ServiceError {
  return new ServiceError('ExpiredTokenException', 'The security token included in the request is expired');
}
