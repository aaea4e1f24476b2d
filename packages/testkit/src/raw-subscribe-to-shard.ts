import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as http2Connect, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import type { Readable } from 'node:stream';
import { authorizationHeaders } from './raw-request.js';

export interface RawSubscribeOptions {
  /** '1.1' (node:http, a chunked response) or '2' (node:http2; h2c, or h2 by ALPN over TLS). Default '1.1'. */
  http?: '1.1' | '2';
  /** For an https endpoint: the certificate to trust. */
  ca?: Buffer;
}

export interface RawSubscription {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /**
   * The body's event-stream messages as they arrive, each whole (split on its length prefix; not decoded or
   * checked, so that the caller decodes it with the code under test). Ends when the response ends. Until this
   * is called, nothing is read past the headers: the client is a subscriber that stopped reading.
   */
  messages(): AsyncIterableIterator<Buffer>;
  /** The whole body (an error answered before the stream started). */
  body(): Promise<Buffer>;
  /** Hangs up at once, without reading on (the socket, or for HTTP/2 the session, is destroyed). */
  destroy(): void;
}

/** A SubscribeToShard without the SDK: JSON 1.1 request, raw event-stream response. */
export async function rawSubscribeToShard(endpoint: string, input: unknown, options: RawSubscribeOptions = {}): Promise<RawSubscription> {
  const headers = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'Kinesis_20131202.SubscribeToShard',
    ...Object.fromEntries(Object.entries(authorizationHeaders()).map(([key, value]) => [key.toLowerCase(), value])),
  };
  const body = JSON.stringify(input);
  return options.http === '2' ? subscribeHttp2(endpoint, headers, body, options.ca) : subscribeHttp1(endpoint, headers, body, options.ca);
}

function subscribeHttp1(endpoint: string, headers: Record<string, string>, body: string, ca: Buffer | undefined): Promise<RawSubscription> {
  const url = new URL('/', endpoint);
  return new Promise((resolve, reject) => {
    const onResponse = (response: IncomingMessage) =>
      resolve(subscription(response.statusCode ?? 0, response.headers, response, () => response.socket.destroy()));
    const request =
      url.protocol === 'https:'
        ? httpsRequest(url, { method: 'POST', headers, agent: false, ...(ca ? { ca } : {}) }, onResponse)
        : httpRequest(url, { method: 'POST', headers, agent: false }, onResponse);
    request.on('error', reject);
    request.end(body);
  });
}

function subscribeHttp2(endpoint: string, headers: Record<string, string>, body: string, ca: Buffer | undefined): Promise<RawSubscription> {
  const session: ClientHttp2Session = http2Connect(endpoint, ca ? { ca } : {});
  return new Promise((resolve, reject) => {
    session.once('error', reject);
    const stream: ClientHttp2Stream = session.request({ ':method': 'POST', ':path': '/', ...headers });
    stream.once('error', reject);
    stream.once('close', () => session.close());
    stream.once('response', (responseHeaders) => {
      const { ':status': status, ...rest } = responseHeaders;
      resolve(subscription(Number(status), rest as Record<string, string | string[] | undefined>, stream, () => session.destroy()));
    });
    stream.end(body);
  });
}

function subscription(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  readable: Readable,
  destroy: () => void,
): RawSubscription {
  // Errors after a hang-up (ECONNRESET, stream reset) are the expected end, reported by the iterator if read.
  readable.on('error', () => undefined);
  return {
    status,
    headers,
    messages: () => splitMessages(readable),
    async body() {
      const chunks: Buffer[] = [];
      for await (const chunk of readable) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    destroy,
  };
}

async function* splitMessages(readable: Readable): AsyncIterableIterator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of readable) {
    pending = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
    while (pending.length >= 4 && pending.length >= pending.readUInt32BE(0)) {
      const length = pending.readUInt32BE(0);
      if (length < 16) throw new Error(`event-stream message length ${length} is impossible`);
      yield pending.subarray(0, length);
      pending = pending.subarray(length);
    }
  }
  if (pending.length > 0) throw new Error(`response ended inside an event-stream message (${pending.length} bytes left)`);
}
