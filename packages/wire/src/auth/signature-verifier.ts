import type { SigV4Credentials } from './sigv4-presence.js';

/** What a SigV4 verifier needs to recompute the signature of one request. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  readonly credentials: SigV4Credentials;
}

/**
 * Hook for real SigV4 verification (not implemented yet: today only the presence and shape of the
 * signature are checked, as kinesalite does). Throw a ServiceError (InvalidSignatureException,
 * UnrecognizedClientException, ...) to reject the request.
 */
export type SignatureVerifier = (request: SignedRequest) => void | Promise<void>;
