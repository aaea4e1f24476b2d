import type { ServiceError } from './service-error.js';

/**
 * The query protocol's `<Code>` (and the `x-amzn-query-error` header's) for the errors the wire and the signature
 * verifier raise under their Coral JSON names, as AWS's query APIs name them in their "Common Errors"
 * (CloudWatch API Reference, CommonErrors.html). An error of a query-compatible model (with a shapeId) already
 * carries its code as its type.
 */
const QUERY_CODES: Readonly<Record<string, string>> = {
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  IncompleteSignatureException: 'IncompleteSignature',
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  ExpiredTokenException: 'ExpiredToken',
  UnknownOperationException: 'InvalidAction',
};

export function queryErrorCode(error: ServiceError): string {
  if (error.shapeId !== undefined) return error.type;
  return QUERY_CODES[error.type] ?? error.type;
}

/** `Sender` for the client's faults, `Receiver` for the server's (the query protocol's `<Type>`). */
export function queryErrorFault(error: ServiceError): 'Sender' | 'Receiver' {
  return error.fault ? 'Receiver' : 'Sender';
}

/** JSON 1.0's and rpc-v2-cbor's `__type`: the shape's absolute id; framework errors keep Coral's namespace. */
export function queryCompatibleShapeId(error: ServiceError): string {
  if (error.shapeId !== undefined) return error.shapeId;
  return error.type.includes('#') ? error.type : `com.amazon.coral.service#${error.type}`;
}
