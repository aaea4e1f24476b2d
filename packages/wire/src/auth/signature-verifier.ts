import type { CallerIdentity } from './caller-identity.js';
import type { SigV4Credentials } from './sigv4-presence.js';

/** What a SigV4 verifier needs to recompute the signature of one request. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  /** Lower-cased header names; on HTTP/2 also the pseudo-headers (`:authority`, ...). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  readonly credentials: SigV4Credentials;
  /** The SigV4 service name the called service expects (`monitoring`); the verifier's own when absent. */
  readonly service?: string;
}

/**
 * Verifies a request's SigV4 signature (see createSigV4Verifier) and answers who signed it. Throws a ServiceError
 * (InvalidSignatureException, UnrecognizedClientException, ...) to reject the request. Without a verifier the
 * pipeline only checks the presence and shape of the signature, as kinesalite does.
 */
export type SignatureVerifier = (request: SignedRequest) => CallerIdentity | Promise<CallerIdentity>;
