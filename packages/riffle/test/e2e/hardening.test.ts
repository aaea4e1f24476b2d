import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as http2Connect, constants as http2Constants, type ClientHttp2Session } from 'node:http2';
import { connect as netConnect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { CreateStreamCommand, PutRecordCommand, RegisterStreamConsumerCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { decodeEventStreamMessage } from '@riffle/wire';
import { authorizationHeaders, kinesisClient, kinesisJson, rawSubscribeToShard, startRiffle, type RawSubscription, type RiffleProcess } from '@riffle/testkit';

// Limits on what one client can make the server hold: header size, connections, idle and slow clients. The
// timeouts are set small here so that the tests are quick; no test measures how long anything took.

const IDLE_MS = 1000;
const HEADERS_MS = 1000;
const REQUEST_MS = 1500;

function listStreamsRequest(extraHeaders = ''): string {
  const auth = authorizationHeaders();
  const body = '{}';
  return (
    `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.ListStreams\r\n` +
    `X-Amz-Date: ${auth['X-Amz-Date']}\r\nAuthorization: ${auth.Authorization}\r\n${extraHeaders}Content-Length: ${body.length}\r\n\r\n${body}`
  );
}

async function connectRaw(port: number): Promise<Socket> {
  const socket = netConnect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

/** Everything the server sends until it closes the connection. */
function untilClosed(socket: Socket): Promise<string> {
  let received = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}

/** One request on a kept-alive raw connection; resolves with the status line once a whole response is in. */
function exchange(socket: Socket, request: string): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const headerEnd = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(received)?.[1];
      if (headerEnd >= 0 && length !== undefined && received.length >= headerEnd + 4 + Number(length)) {
        socket.off('data', onData);
        resolve(received.split('\r\n')[0]!);
      }
    };
    socket.on('data', onData);
    socket.write(request);
  });
}

function h2ListStreams(session: ClientHttp2Session, extra: Record<string, string> = {}): Promise<{ status: number; rstCode: number | undefined }> {
  const auth = authorizationHeaders();
  return new Promise((resolve) => {
    const stream = session.request({
      ':method': 'POST',
      ':path': '/',
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Kinesis_20131202.ListStreams',
      'x-amz-date': auth['X-Amz-Date']!,
      authorization: auth.Authorization!,
      ...extra,
    });
    let status = 0;
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('error', () => undefined);
    stream.resume();
    stream.on('close', () => resolve({ status, rstCode: status === 0 ? stream.rstCode : undefined }));
    stream.end('{}');
  });
}

/** Counts the records of a raw subscription's events until `count` arrived (bounded by the events read). */
async function recordsOf(subscription: RawSubscription, count: number, maxEvents = 40): Promise<string[]> {
  const data: string[] = [];
  let events = 0;
  for await (const bytes of subscription.messages()) {
    const message = decodeEventStreamMessage(bytes)!;
    if (message.headers[':event-type']?.value === 'SubscribeToShardEvent') {
      for (const record of JSON.parse(message.payload.toString('utf8')).Records) data.push(Buffer.from(record.Data, 'base64').toString('utf8'));
    }
    if (data.length >= count || ++events >= maxEvents) break;
  }
  return data;
}

describe('hardening: header size, slow and idle clients (small timeouts)', () => {
  let riffle: RiffleProcess;
  let client: KinesisClient;

  before(async () => {
    riffle = await startRiffle({
      args: ['--idle-timeout-ms', String(IDLE_MS), '--headers-timeout-ms', String(HEADERS_MS), '--request-timeout-ms', String(REQUEST_MS), '--max-header-bytes', '8192'],
    });
    client = kinesisClient(riffle.endpoint, { http: '1.1' });
  });
  after(async () => {
    client?.destroy();
    await riffle.stop();
  });

  it('answers HTTP/1.1 headers over --max-header-bytes with 431 and keeps serving', async () => {
    const socket = await connectRaw(riffle.port);
    const answer = untilClosed(socket);
    socket.write(listStreamsRequest(`X-Padding: ${'a'.repeat(10_000)}\r\n`));
    assert.match(await answer, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    assert.equal((await kinesisJson(riffle.endpoint, 'ListStreams', {})).status, 200);
    assert.equal(riffle.child.exitCode, null);
  });

  it('resets an HTTP/2 stream whose header list is too large, and the session goes on', async () => {
    const session = http2Connect(riffle.endpoint);
    session.on('error', () => undefined);
    try {
      // The limit holds once the client has acknowledged the server's SETTINGS (RFC 9113 §6.5.3), which a first
      // exchange guarantees; before that Node's 64 KiB default bounds a session's first requests.
      assert.equal((await h2ListStreams(session)).status, 200);
      const refused = await h2ListStreams(session, { 'x-padding': 'a'.repeat(10_000) });
      assert.equal(refused.status, 0);
      assert.equal(refused.rstCode, http2Constants.NGHTTP2_ENHANCE_YOUR_CALM);
      assert.equal((await h2ListStreams(session)).status, 200);
    } finally {
      session.destroy();
    }
  });

  it('cuts a client that sends its headers one byte at a time once the headers timeout passes (slowloris)', async () => {
    const socket = await connectRaw(riffle.port);
    const answer = untilClosed(socket);
    let closed = false;
    void answer.then(() => (closed = true));
    const request = Buffer.from(listStreamsRequest(`X-Slow: ${'s'.repeat(200)}\r\n`));
    // Bounded: the whole request at 50 ms a byte would take ~25 s; the server must hang up long before.
    for (let index = 0; index < request.length && !closed; index++) {
      socket.write(request.subarray(index, index + 1));
      await delay(50);
    }
    assert.ok(closed, 'the server let a slowloris client finish its headers');
    assert.match(await answer, /^HTTP\/1\.1 408 /);
  });

  it('cuts a client that sends its body one byte at a time once the request timeout passes', async () => {
    const socket = await connectRaw(riffle.port);
    const answer = untilClosed(socket);
    let closed = false;
    void answer.then(() => (closed = true));
    const auth = authorizationHeaders();
    const body = JSON.stringify({ Padding: 'p'.repeat(400) });
    socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.ListStreams\r\n` +
        `X-Amz-Date: ${auth['X-Amz-Date']}\r\nAuthorization: ${auth.Authorization}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    for (let index = 0; index < body.length && !closed; index++) {
      socket.write(body[index]!);
      await delay(50);
    }
    assert.ok(closed, 'the server waited for a body trickling in');
  });

  it('closes an idle HTTP/1.1 keep-alive connection and an idle HTTP/2 session', async () => {
    const socket = await connectRaw(riffle.port);
    assert.match(await exchange(socket, listStreamsRequest()), /^HTTP\/1\.1 200 /);
    const closed = untilClosed(socket);
    await closed; // no request follows: the idle timeout ends it (the test's own timeout bounds the wait)

    const session = http2Connect(riffle.endpoint);
    session.on('error', () => undefined);
    assert.equal((await h2ListStreams(session)).status, 200);
    const [code] = (await once(session, 'goaway')) as [number];
    assert.equal(code, http2Constants.NGHTTP2_NO_ERROR);
    await once(session, 'close');
  });

  it('never cuts a SubscribeToShard event stream quiet for longer than the idle timeout, on HTTP/1.1 or HTTP/2', async () => {
    await client.send(new CreateStreamCommand({ StreamName: 'quiet', ShardCount: 1 }));
    const { Consumer } = await client.send(
      new RegisterStreamConsumerCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/quiet', ConsumerName: 'patient' }),
    );
    const input = (shardId: string) => ({ ConsumerARN: Consumer!.ConsumerARN, ShardId: shardId, StartingPosition: { Type: 'LATEST' } });
    // Two subscriptions of one consumer to one shard would take each other over; the HTTP/2 one reads a second stream.
    const second = 'quiet2';
    await client.send(new CreateStreamCommand({ StreamName: second, ShardCount: 1 }));
    const { Consumer: other } = await client.send(
      new RegisterStreamConsumerCommand({ StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${second}`, ConsumerName: 'patient' }),
    );
    const http1 = await rawSubscribeToShard(riffle.endpoint, input('shardId-000000000000'), { http: '1.1' });
    const http2 = await rawSubscribeToShard(riffle.endpoint, { ...input('shardId-000000000000'), ConsumerARN: other!.ConsumerARN }, { http: '2' });
    try {
      assert.equal(http1.status, 200);
      assert.equal(http2.status, 200);
      const received = [recordsOf(http1, 3), recordsOf(http2, 3)];
      // Silences of 2.5 s: longer than the idle, headers and request timeouts, shorter than the 5 s heartbeat.
      for (const text of ['one', 'two', 'three']) {
        await delay(2500);
        for (const stream of ['quiet', second]) {
          await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: Buffer.from(text) }));
        }
      }
      assert.deepEqual(await received[0], ['one', 'two', 'three']);
      assert.deepEqual(await received[1], ['one', 'two', 'three']);
    } finally {
      http1.destroy();
      http2.destroy();
    }
  });
});

describe('hardening: --max-connections', () => {
  let riffle: RiffleProcess;
  before(async () => {
    riffle = await startRiffle({ args: ['--max-connections', '3'] });
  });
  after(async () => {
    await riffle.stop();
  });

  it('closes connections beyond the cap at once, and takes new ones when others go', async () => {
    const held: Socket[] = [];
    try {
      for (let index = 0; index < 3; index++) {
        const socket = await connectRaw(riffle.port);
        held.push(socket);
        assert.match(await exchange(socket, listStreamsRequest()), /^HTTP\/1\.1 200 /);
      }
      const extra = await connectRaw(riffle.port);
      const answer = untilClosed(extra);
      extra.write(listStreamsRequest());
      assert.equal(await answer, '', 'a connection beyond the cap got an answer');

      held.shift()!.destroy();
      // The server notices the hang-up asynchronously: bounded polling for a slot.
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        status = await kinesisJson(riffle.endpoint, 'ListStreams', {}).then((answer) => answer.status, () => 0);
        if (status !== 200) await delay(100);
      }
      assert.equal(status, 200);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });
});
