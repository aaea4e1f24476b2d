import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { authorizationHeaders, kinesisCall, kinesisJson, startRiffle, type RiffleProcess } from '@riffle/testkit';

/** Bad input gets AWS's error, never a crash, a hang or a corrupted store; the server keeps answering. */
describe('bad input never crashes, hangs or corrupts the server', () => {
  let riffle: RiffleProcess;

  before(async () => {
    riffle = await startRiffle();
    const created = await kinesisJson(riffle.endpoint, 'CreateStream', { StreamName: 'sturdy', ShardCount: 1 });
    assert.equal(created.status, 200);
    const put = await kinesisJson(riffle.endpoint, 'PutRecord', { StreamName: 'sturdy', PartitionKey: 'k', Data: 'AAEC' });
    assert.equal(put.status, 200);
  });
  after(async () => {
    await riffle.stop();
  });

  /** The server is alive and its store intact: the one record written in `before` reads back. */
  async function assertHealthy(): Promise<void> {
    assert.equal(riffle.child.exitCode, null, 'server process is still running');
    const iterator = await kinesisJson(riffle.endpoint, 'GetShardIterator', {
      StreamName: 'sturdy', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON',
    });
    assert.equal(iterator.status, 200);
    const records = await kinesisJson(riffle.endpoint, 'GetRecords', { ShardIterator: iterator.body.ShardIterator });
    assert.equal(records.status, 200);
    assert.deepEqual(records.body.Records.map((r: { Data: string }) => r.Data), ['AAEC']);
  }

  /** Writes raw bytes on a fresh socket and collects whatever comes back until the server closes it (bounded). */
  function rawExchange(bytes: Buffer | string, { end = true, waitMs = 2000 } = {}): Promise<string> {
    return new Promise((resolve) => {
      const socket: Socket = connect(riffle.port, '127.0.0.1');
      let received = '';
      const finish = () => {
        clearTimeout(timer);
        socket.destroy();
        resolve(received);
      };
      const timer = setTimeout(finish, waitMs);
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      socket.on('close', finish);
      socket.on('error', finish);
      socket.write(bytes);
      if (end) socket.end();
    });
  }

  it('answers an oversized body with 413 and keeps serving', async () => {
    const head =
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n' +
      `X-Amz-Target: Kinesis_20131202.PutRecord\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n`;
    const response = await rawExchange(Buffer.concat([Buffer.from(head), Buffer.alloc(256 * 1024, 0x61)]), { end: false });
    assert.match(response, /^HTTP\/1\.1 413 /);
    await assertHealthy();
  });

  it('survives a truncated body (Content-Length promises more than is sent)', async () => {
    const headers = authorizationHeaders();
    const head =
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n' +
      `X-Amz-Target: Kinesis_20131202.PutRecord\r\nX-Amz-Date: ${headers['X-Amz-Date']}\r\n` +
      `Authorization: ${headers.Authorization}\r\nContent-Length: 1000\r\n\r\n{"StreamName":"stu`;
    await rawExchange(head);
    await assertHealthy();
  });

  it('rejects invalid base64 with SerializationException', async () => {
    const res = await kinesisJson(riffle.endpoint, 'PutRecord', { StreamName: 'sturdy', PartitionKey: 'k', Data: 'abc' });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'SerializationException');
    await assertHealthy();
  });

  it('rejects deeply nested JSON without a stack overflow', async () => {
    const deep = '{"StreamName":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}';
    const res = await kinesisCall(riffle.endpoint, 'DescribeStream', deep);
    assert.equal(res.status, 400);
    assert.equal(JSON.parse(res.body.toString()).__type, 'SerializationException');
    await assertHealthy();
  });

  it('rejects malformed JSON and CBOR with SerializationException', async () => {
    for (const [body, type] of [
      ['{"StreamName": "sturdy"', 'application/x-amz-json-1.1'],
      [Buffer.from([0xbf, 0x61, 0x41, 0x1b, 0xff]), 'application/x-amz-cbor-1.1'],
      [Buffer.from([0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 'application/x-amz-cbor-1.1'],
    ] as const) {
      const res = await kinesisCall(riffle.endpoint, 'DescribeStream', body as string | Buffer, type);
      assert.equal(res.status, 400, `status for ${type}`);
      assert.equal(res.headers['x-amzn-errortype']?.toString().split(':')[0], 'SerializationException');
    }
    await assertHealthy();
  });

  it('survives binary garbage instead of HTTP', async () => {
    for (let round = 0; round < 20; round++) await rawExchange(randomBytes(1 + round * 97));
    // Garbage that starts like the HTTP/2 preface or a TLS hello.
    await rawExchange(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), randomBytes(512)]));
    await rawExchange(Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]), randomBytes(512)]));
    await assertHealthy();
  });

  it('keeps serving while half-open and idle connections linger', async () => {
    const lingering: Socket[] = [];
    for (let i = 0; i < 50; i++) {
      const socket = connect(riffle.port, '127.0.0.1');
      socket.on('error', () => {});
      // Some send nothing, some half a request line, some half the h2 preface.
      if (i % 3 === 1) socket.write('POST / HTT');
      if (i % 3 === 2) socket.write('PRI * HTTP/2');
      lingering.push(socket);
    }
    try {
      await assertHealthy();
    } finally {
      for (const socket of lingering) socket.destroy();
    }
  });
});
