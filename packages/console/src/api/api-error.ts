/** An error as the API worded it: its type (the `__type` / error code) and message, unchanged. */
export interface ApiError {
  readonly type: string;
  readonly message: string;
  readonly requestId: string | undefined;
}

/** The SDK names a service error after the API's error type and keeps its message as sent. */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof Error) {
    const metadata = (error as { $metadata?: { requestId?: string } }).$metadata;
    return { type: error.name, message: error.message, requestId: metadata?.requestId };
  }
  return { type: 'Error', message: String(error), requestId: undefined };
}

/** The answers that mean "these credentials are not accepted": the console then asks for a key. */
const SIGN_IN_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'MissingAuthenticationToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
]);

export function needsSignIn(error: ApiError): boolean {
  return SIGN_IN_ERRORS.has(error.type);
}
