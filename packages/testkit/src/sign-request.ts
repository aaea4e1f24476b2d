import type { SignatureV4 } from '@smithy/signature-v4';
import { kinesisSigner, type SigningCredentials } from './sigv4-signing.js';

export interface RequestToSign {
  /** `127.0.0.1:port`, exactly as the Host header (HTTP/1.1) or :authority (HTTP/2) will say. */
  readonly host: string;
  readonly method?: string;
  readonly path?: string;
  /** Header names as they will be sent; Host is added. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly credentials: SigningCredentials;
  readonly region?: string;
  readonly service?: string;
  readonly date?: Date;
  /** Also sign an `x-amz-content-sha256` header (S3 style; the Kinesis SDK does not send it). */
  readonly contentSha256Header?: boolean;
}

/** Signers by key, region and service: each caches its signing keys, which cost four HMACs to derive. */
const signers = new Map<string, SignatureV4>();

function signerFor(request: RequestToSign): SignatureV4 {
  const { accessKeyId, secretAccessKey, sessionToken = '' } = request.credentials;
  const key = JSON.stringify([accessKeyId, secretAccessKey, sessionToken, request.region, request.service, request.contentSha256Header]);
  let signer = signers.get(key);
  if (signer === undefined) {
    if (signers.size > 1000) signers.clear();
    signers.set(key, (signer = newSigner(request)));
  }
  return signer;
}

function newSigner(request: RequestToSign): SignatureV4 {
  return kinesisSigner({ ...request, applyChecksum: request.contentSha256Header ?? false });
}

function httpRequestOf(request: RequestToSign) {
  const [hostname = '', port] = request.host.split(':');
  const [path = '/', queryText = ''] = (request.path ?? '/').split('?');
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(queryText)) query[name] = value;
  return {
    method: request.method ?? 'POST',
    protocol: 'http:',
    hostname,
    ...(port === undefined ? {} : { port: Number(port) }),
    path,
    query,
    headers: { ...request.headers, host: request.host },
    body: request.body,
  };
}

/** Signs a request as `@aws-sdk/client-kinesis` does (SigV4, Authorization header); returns every header to send. */
export async function signRequest(request: RequestToSign): Promise<Record<string, string>> {
  const signed = await signerFor(request).sign(httpRequestOf(request), { signingDate: request.date ?? new Date() });
  return signed.headers as Record<string, string>;
}

/** A presigned request (SigV4 in the query string): returns the path with its query and the headers to send. */
export async function presignRequest(
  request: RequestToSign & { readonly expiresInSeconds?: number },
): Promise<{ path: string; headers: Record<string, string> }> {
  const signed = await signerFor(request).presign(httpRequestOf(request), {
    signingDate: request.date ?? new Date(),
    expiresIn: request.expiresInSeconds ?? 300,
    // Kinesis routes on the X-Amz-Target header, so it stays a (signed) header.
    unhoistableHeaders: new Set(['x-amz-target']),
  });
  // Escaped as the SDK's own URLs are (RFC 3986, a space as %20): URLSearchParams' '+' for a space is another
  // character to a SigV4 verifier.
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(signed.query ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) if (one !== null) pairs.push(`${escapeUri(name)}=${escapeUri(one)}`);
  }
  return { path: `${signed.path}?${pairs.join('&')}`, headers: signed.headers as Record<string, string> };
}

function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
