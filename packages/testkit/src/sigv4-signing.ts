import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';

/** `@smithy/signature-v4`'s hash constructor on node:crypto: a key makes it an HMAC. */
export class NodeSha256 {
  private hash: Hash | Hmac;
  private readonly secret: string | Buffer | undefined;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.secret = secret === undefined || typeof secret === 'string' ? secret : ArrayBuffer.isView(secret)
      ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
      : Buffer.from(secret);
    this.hash = this.fresh();
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data));
  }

  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface KinesisRequestToSign {
  /** `http://127.0.0.1:PORT`; its host and port are signed as `host`. */
  readonly endpoint: string;
  readonly operation: string;
  readonly body: string | Buffer;
  readonly path?: string;
  readonly query?: Record<string, string>;
  /** Extra headers, signed as well. */
  readonly headers?: Record<string, string>;
  /** Sign `:authority` instead of `host`, as the SDK does over HTTP/2. */
  readonly http2?: boolean;
}

export interface SigningOptions {
  readonly credentials: SigningCredentials;
  readonly region?: string;
  readonly service?: string;
  readonly signingDate?: Date;
}

/** A request as it goes on the wire: path with its query, header names as signed (lower case), body. */
export interface SignedHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** A Kinesis JSON call signed in its Authorization header by the SDK's own signer. */
export async function signKinesisRequest(request: KinesisRequestToSign, options: SigningOptions): Promise<SignedHttpRequest> {
  const signed = await signer(options).sign(httpRequest(request), signingArguments(options));
  return toWire(signed);
}

/** The same call presigned in its query string (X-Amz-Target stays a header: Riffle routes on it). */
export async function presignKinesisRequest(
  request: KinesisRequestToSign,
  options: SigningOptions & { readonly expiresIn: number },
): Promise<SignedHttpRequest> {
  const presigned = await signer(options).presign(httpRequest(request), {
    ...signingArguments(options),
    expiresIn: options.expiresIn,
    unhoistableHeaders: new Set(['x-amz-target']),
  });
  return toWire(presigned);
}

function signer(options: SigningOptions): SignatureV4 {
  return kinesisSigner(options);
}

/** The SDK's signer on node:crypto, for Kinesis in us-east-1 unless told otherwise. */
export function kinesisSigner(options: { credentials: SigningCredentials; region?: string; service?: string; applyChecksum?: boolean }): SignatureV4 {
  return new SignatureV4({
    credentials: options.credentials,
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'kinesis',
    sha256: NodeSha256,
    // Unset, the signer adds x-amz-content-sha256 (the SDK's own Kinesis client does not).
    ...(options.applyChecksum === undefined ? {} : { applyChecksum: options.applyChecksum }),
  });
}

function signingArguments(options: SigningOptions): { signingDate?: Date } {
  return options.signingDate ? { signingDate: options.signingDate } : {};
}

function httpRequest(request: KinesisRequestToSign): HttpRequest {
  const url = new URL(request.endpoint);
  return new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: request.path ?? '/',
    query: { ...request.query },
    headers: {
      [request.http2 ? ':authority' : 'host']: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `Kinesis_20131202.${request.operation}`,
      ...request.headers,
    },
    body: Buffer.from(request.body),
  });
}

/** What the signer answers: the request's shape in @smithy/types. */
type SignerOutput = Awaited<ReturnType<SignatureV4['presign']>>;

function toWire(request: SignerOutput): SignedHttpRequest {
  const query = Object.entries(request.query ?? {})
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((one) => `${uriEncode(name)}=${uriEncode(String(one ?? ''))}`))
    .join('&');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return { method: request.method, path: query ? `${request.path}?${query}` : request.path, headers, body: request.body as Buffer };
}

function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
