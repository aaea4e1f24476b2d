import cbor from 'cbor';
import { kinesisShapes } from '@riffle/api';

/** Errors the wire and the signature checks raise, besides the model's exceptions (DESIGN.md, issue 7). */
const WIRE_ERROR_TYPES = [
  'SerializationException', 'UnknownOperationException', 'MissingAuthenticationTokenException', 'IncompleteSignatureException',
  'InvalidSignatureException', 'UnrecognizedClientException', 'ExpiredTokenException', 'AccessDeniedException',
];

/** Every `__type` a JSON or CBOR error may carry: the model's exceptions and the wire's. */
export const KNOWN_ERROR_TYPES: ReadonlySet<string> = new Set([
  ...Object.entries(kinesisShapes).filter(([, shape]) => shape.type === 'structure' && shape.exception).map(([name]) => name),
  ...WIRE_ERROR_TYPES,
]);

/** The errors of refused authentication (strict mode must never give them to a correct signature). */
export const AUTH_ERROR_TYPES: ReadonlySet<string> = new Set([
  'MissingAuthenticationTokenException', 'IncompleteSignatureException', 'InvalidSignatureException', 'UnrecognizedClientException', 'ExpiredTokenException',
]);

/** The deprecated `application/json` answers an envelope and never dispatches (kinesalite index.js). */
const CORAL_TYPES = new Set(['com.amazon.coral.service#UnknownOperationException', 'com.amazon.coral.service#SerializationException']);
/** Non-POST requests and unknown media types are answered in XML (kinesalite test/connection.js). */
const XML_TYPES = new Set(['AccessDeniedException', 'UnknownOperationException']);

export interface ResponseView {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface RequestView {
  readonly method: string;
  readonly mediaType: string;
  readonly bodyLength: number;
}

export interface CheckResult {
  /** Empty when the response is acceptable. */
  readonly problems: string[];
  /** The AWS error type, when there is one. */
  readonly errorType: string | undefined;
}

function header(response: ResponseView, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * A response to a malformed request: below 500, and an error carries a `__type` known for its protocol,
 * in the protocol of the request when the request named one and carried a body.
 */
export function checkResponse(request: RequestView, response: ResponseView): CheckResult {
  const problems: string[] = [];
  if (response.status >= 500) problems.push(`status ${response.status}`);
  if (response.status < 100 || response.status > 599) problems.push(`impossible status ${response.status}`);
  const contentType = (header(response, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const errorHeader = header(response, 'x-amzn-errortype')?.split(':')[0];
  let errorType: string | undefined;
  const body = response.body;
  const requestProtocol =
    request.method === 'POST' && request.bodyLength > 0 && ['application/x-amz-json-1.1', 'application/x-amz-cbor-1.1'].includes(request.mediaType)
      ? request.mediaType
      : undefined;
  if (contentType === 'application/x-amz-json-1.1' || contentType === 'application/x-amz-cbor-1.1') {
    if (requestProtocol !== undefined && contentType !== requestProtocol) problems.push(`answered ${contentType} to ${requestProtocol}`);
    if (response.status >= 400) {
      let document: any;
      try {
        document = contentType === 'application/x-amz-json-1.1' ? JSON.parse(body.toString('utf8')) : cbor.decodeFirstSync(body);
      } catch (error) {
        problems.push(`error body does not decode as ${contentType}: ${(error as Error).message}`);
      }
      errorType = document?.__type;
      if (typeof errorType !== 'string' || !KNOWN_ERROR_TYPES.has(errorType)) problems.push(`unknown __type ${JSON.stringify(errorType)}`);
      if (errorHeader !== errorType) problems.push(`x-amzn-ErrorType ${JSON.stringify(errorHeader)} differs from __type ${JSON.stringify(errorType)}`);
    }
  } else if (contentType === 'application/json') {
    let document: any;
    try {
      document = JSON.parse(body.toString('utf8'));
    } catch {
      problems.push('coral envelope is not JSON');
    }
    errorType = document?.Output?.__type;
    if (!CORAL_TYPES.has(errorType ?? '') || document?.Version !== '1.0') problems.push(`unknown coral envelope ${body.toString('utf8').slice(0, 120)}`);
  } else if (contentType === '') {
    const text = body.toString('utf8');
    const xml = /^<(\w+)(?:\/>|>)/.exec(text);
    if (xml) {
      errorType = xml[1];
      if (!XML_TYPES.has(errorType!)) problems.push(`unknown XML error ${errorType}`);
    } else if (body.length > 0 && response.status >= 400) {
      problems.push(`untyped error body ${JSON.stringify(text.slice(0, 120))}`);
    }
  } else {
    problems.push(`unexpected Content-Type ${contentType}`);
  }
  if (response.status === 200 && requestProtocol === undefined && request.method === 'POST' && body.length > 0 && contentType !== '') {
    // A 200 with a body must be in a protocol the request asked for (CORS preflights have no body).
    problems.push(`200 with ${contentType} to a request of ${request.mediaType || 'no media type'}`);
  }
  return { problems, errorType };
}
