import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import { decodeEventStreamMessage, type DecodedEventStreamMessage } from '../src/eventstream/decode-event-stream-message.js';
import { createListener, type Listener } from '../src/listener.js';
import { SIGNED_HEADERS } from './raw-http.js';
import { StubKinesisService } from './stub-kinesis-service.js';

const HEADERS = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': 'Kinesis_20131202.SubscribeToShard',
  ...(SIGNED_HEADERS as Record<string, string>),
};

interface Frame {
  readonly messageType: string;
  readonly type: string;
  readonly contentType: string;
  readonly payload: unknown;
}

function frames(body: Buffer): Frame[] {
  const result: Frame[] = [];
  let offset = 0;
  // Bounded: each message consumes at least 16 bytes.
  while (offset < body.length) {
    const message: DecodedEventStreamMessage | undefined = decodeEventStreamMessage(body, offset);
    assert.ok(message, 'body ends with a whole message');
    const header = (name: string) => String(message.headers[name]?.value ?? '');
    result.push({
      messageType: header(':message-type'),
      type: header(':event-type') || header(':exception-type'),
      contentType: header(':content-type'),
      payload: JSON.parse(message.payload.toString('utf8')),
    });
    offset += message.byteLength;
  }
  return result;
}

function subscribeHttp1(port: number, input: object): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', headers: HEADERS, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end(JSON.stringify(input));
  });
}

describe('event-stream responses', () => {
  const service = new StubKinesisService();
  const logs: Array<Record<string, unknown>> = [];
  let listener: Listener;
  let port: number;

  before(async () => {
    listener = createListener({ services: [service], log: (entry) => logs.push(entry) });
    ({ port } = await listener.listen(0, '127.0.0.1'));
  });
  after(() => listener.close());

  it('frames events over HTTP/1.1 (chunked) and ends with a modeled exception', async () => {
    const response = await subscribeHttp1(port, { Count: 2, FailWith: 'ResourceInUseException' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/vnd.amazon.eventstream');
    assert.equal(response.headers['transfer-encoding'], 'chunked');
    assert.match(String(response.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
    assert.deepEqual(frames(response.body), [
      { messageType: 'event', type: 'initial-response', contentType: 'application/json', payload: {} },
      {
        messageType: 'event',
        type: 'SubscribeToShardEvent',
        contentType: 'application/json',
        payload: { Records: [], ContinuationSequenceNumber: '0', MillisBehindLatest: 0 },
      },
      {
        messageType: 'event',
        type: 'SubscribeToShardEvent',
        contentType: 'application/json',
        payload: { Records: [], ContinuationSequenceNumber: '1', MillisBehindLatest: 0 },
      },
      { messageType: 'exception', type: 'ResourceInUseException', contentType: 'application/json', payload: { message: 'subscription failed' } },
    ]);
  });

  it('turns an unexpected failure mid-stream into InternalFailureException and logs it', async () => {
    const response = await subscribeHttp1(port, { Count: 1, FailWith: 'crash' });
    const last = frames(response.body).at(-1)!;
    assert.deepEqual(last, { messageType: 'exception', type: 'InternalFailureException', contentType: 'application/json', payload: {} });
    assert.ok(logs.some((entry) => entry.event === 'internal-failure' && String(entry.stack).includes('crash detail')));
    assert.ok(!response.body.toString('latin1').includes('crash detail'));
  });

  it('frames events over HTTP/2 and ends the stream when the iterable ends', async () => {
    const session = http2Connect(`http://127.0.0.1:${port}`);
    try {
      const body = await new Promise<Buffer>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': '/', ...HEADERS });
        const chunks: Buffer[] = [];
        stream.on('response', (headers) => {
          assert.equal(headers[':status'], 200);
          assert.equal(headers['content-type'], 'application/vnd.amazon.eventstream');
        });
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
        stream.end(JSON.stringify({ Count: 3 }));
      });
      const received = frames(body);
      assert.equal(received.length, 4);
      assert.deepEqual(
        received.map((frame) => (frame.payload as { ContinuationSequenceNumber?: string }).ContinuationSequenceNumber),
        [undefined, '0', '1', '2'],
      );
    } finally {
      session.close();
    }
  });

  it('aborts the request signal when an HTTP/1.1 client disconnects mid-stream', async () => {
    const before = service.abortedSubscriptions.length;
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', headers: HEADERS, agent: false }, (response) => {
        response.once('data', () => request.destroy());
        response.on('close', () => resolve());
      });
      request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve() : reject(error)));
      request.end('{}');
    });
    // Bounded wait for the server to notice the hang-up.
    for (let attempt = 0; attempt < 200 && service.abortedSubscriptions.length === before; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(service.abortedSubscriptions.length, before + 1);
  });
});
