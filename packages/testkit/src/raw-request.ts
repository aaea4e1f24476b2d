import { request as httpRequest } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A well-formed (not verified) SigV4 Authorization header, as every SDK sends. */
export function authorizationHeaders(date = new Date()): Record<string, string> {
  const amzDate = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return {
    'X-Amz-Date': amzDate,
    Authorization:
      `AWS4-HMAC-SHA256 Credential=AKIDRIFFLETEST/${amzDate.slice(0, 8)}/us-east-1/kinesis/aws4_request, ` +
      `SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
  };
}

/** One raw HTTP/1.1 request (no SDK), for exact-byte checks of requests and responses. */
export function rawRequest(
  endpoint: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  const url = new URL(options.path ?? '/', endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export type KinesisContentType = 'application/x-amz-json-1.1' | 'application/x-amz-cbor-1.1';

/** A signed-looking Kinesis call with a raw body; returns the raw response. */
export function kinesisCall(
  endpoint: string,
  operation: string,
  body: string | Buffer,
  contentType: KinesisContentType = 'application/x-amz-json-1.1',
): Promise<RawResponse> {
  return rawRequest(endpoint, {
    headers: { 'Content-Type': contentType, 'X-Amz-Target': `Kinesis_20131202.${operation}`, ...authorizationHeaders() },
    body,
  });
}

/** JSON convenience: parsed body plus status. */
export async function kinesisJson(endpoint: string, operation: string, input: unknown): Promise<{ status: number; body: any }> {
  const res = await kinesisCall(endpoint, operation, JSON.stringify(input));
  const text = res.body.toString('utf8');
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}
