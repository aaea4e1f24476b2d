import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { connect as netConnect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export const SIGNED_HEADERS: OutgoingHttpHeaders = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/eu-west-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd',
  'x-amz-date': '20240101T000000Z',
};

/** One HTTP/1.1 request on a fresh connection. */
export function send(
  port: number,
  options: { method?: string; path?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path ?? '/',
        headers: { 'content-length': Buffer.byteLength(options.body ?? ''), ...options.headers },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Writes raw bytes on a TCP connection and collects everything until the server closes it. */
export function sendRawBytes(port: number, chunks: Buffer[], endAfterWrite = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(Buffer.concat(received)) : reject(error)));
    socket.on('close', () => resolve(Buffer.concat(received)));
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
      if (endAfterWrite) socket.end();
    });
  });
}
