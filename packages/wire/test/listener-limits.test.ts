import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as http2Connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { createListener, type ListenerOptions } from '../src/listener.js';
import type { RequestCompletion } from '../src/pipeline.js';
import { ensureSelfSignedCertificate, type CertificatePair } from '../src/self-signed-certificate.js';
import { SIGNED_HEADERS, send } from './raw-http.js';
import { StubKinesisService } from './stub-kinesis-service.js';

const JSON_TYPE = 'application/x-amz-json-1.1';

async function start(options: Partial<ListenerOptions> = {}) {
  const listener = createListener({ services: [new StubKinesisService()], closeGraceMs: 300, ...options });
  const { port } = await listener.listen(0, '127.0.0.1');
  return { listener, port };
}

describe('onRequestComplete', () => {
  const completions: RequestCompletion[] = [];
  let port: number;
  let close: () => Promise<void>;

  before(async () => {
    const started = await start({ onRequestComplete: (completion) => completions.push(completion) });
    port = started.port;
    close = () => started.listener.close();
  });
  after(() => close());

  it('reports each dispatched call once it is answered: operation, input, output, status, error, client', async () => {
    completions.length = 0;
    const headers = { 'content-type': JSON_TYPE, ...SIGNED_HEADERS, 'user-agent': 'hook-test/1.0' };
    await send(port, { headers: { ...headers, 'x-amz-target': 'Kinesis_20131202.PutRecord' }, body: '{"Data":"AAEC","PartitionKey":"k"}' });
    await send(port, { headers: { ...headers, 'x-amz-target': 'Kinesis_20131202.DescribeStream' }, body: '{"StreamName":"gone"}' });
    await send(port, { headers: { ...headers, 'x-amz-target': 'Kinesis_20131202.NoSuchThing' }, body: '{}' });
    await send(port, { headers: { ...headers, 'x-amz-target': 'Kinesis_20131202.ListStreams' }, body: 'not json' });
    assert.deepEqual(
      completions.map((completion) => [completion.context.operation, completion.status, completion.error?.type]),
      [
        ['PutRecord', 200, undefined],
        ['DescribeStream', 400, 'ResourceNotFoundException'],
      ],
    );
    const [put, described] = completions;
    assert.deepEqual(put!.input, { Data: 'AAEC', PartitionKey: 'k' });
    assert.deepEqual(put!.output, { ShardId: 'shardId-000000000000', SequenceNumber: '3' });
    assert.equal(put!.userAgent, 'hook-test/1.0');
    assert.equal(put!.host, `127.0.0.1:${port}`);
    assert.equal(put!.tls, undefined);
    assert.equal(put!.context.accessKeyId, 'AKIDTEST');
    assert.ok(put!.receivedAt <= Date.now());
    assert.equal(described!.error!.message, 'Stream gone under account 111122223333 not found.');
  });

  it('reports an event stream as it opens, with status 200', async () => {
    completions.length = 0;
    const session = http2Connect(`http://127.0.0.1:${port}`);
    try {
      const stream = session.request({ ':method': 'POST', ':path': '/', 'content-type': JSON_TYPE, 'x-amz-target': 'Kinesis_20131202.SubscribeToShard', ...(SIGNED_HEADERS as Record<string, string>) });
      stream.end('{}');
      stream.resume();
      await once(stream, 'response');
      assert.deepEqual(completions.map((completion) => [completion.context.operation, completion.status, completion.context.httpVersion]), [['SubscribeToShard', 200, '2']]);
      assert.equal(completions[0]!.host, `127.0.0.1:${port}`);
    } finally {
      session.destroy();
    }
  });

  it('logs a hook that throws, and still answers', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const { listener, port: other } = await start({ onRequestComplete: () => { throw new Error('hook broke'); }, log: (entry) => logs.push(entry) });
    try {
      const response = await send(other, { headers: { 'content-type': JSON_TYPE, 'x-amz-target': 'Kinesis_20131202.ListStreams', ...SIGNED_HEADERS }, body: '{}' });
      assert.equal(response.status, 200);
      assert.equal(logs.filter((entry) => entry.event === 'request-hook-failure').length, 1);
    } finally {
      await listener.close();
    }
  });
});

describe('listener limits and TLS swaps', () => {
  let dir: string;
  let first: CertificatePair;
  let second: CertificatePair;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-wire-limits-'));
    first = await ensureSelfSignedCertificate(join(dir, 'a'));
    second = await ensureSelfSignedCertificate(join(dir, 'b'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('advertises --max-concurrent-streams and --max-header-bytes in its HTTP/2 SETTINGS', async () => {
    const { listener, port } = await start({ maxConcurrentStreams: 7, maxHeaderBytes: 4096 });
    const session = http2Connect(`http://127.0.0.1:${port}`);
    try {
      const [settings] = (await once(session, 'remoteSettings')) as [{ maxConcurrentStreams: number; maxHeaderListSize: number }];
      assert.equal(settings.maxConcurrentStreams, 7);
      assert.equal(settings.maxHeaderListSize, 4096);
    } finally {
      session.destroy();
      await listener.close();
    }
  });

  it('answers an HTTP/2 body that does not arrive within the request timeout with 408', async () => {
    const { listener, port } = await start({ requestTimeoutMs: 200, headersTimeoutMs: 200 });
    const session = http2Connect(`http://127.0.0.1:${port}`);
    session.on('error', () => undefined);
    try {
      const stream = session.request({ ':method': 'POST', ':path': '/', 'content-type': JSON_TYPE, 'x-amz-target': 'Kinesis_20131202.ListStreams', ...(SIGNED_HEADERS as Record<string, string>) });
      stream.on('error', () => undefined);
      stream.write('{"Partial":'); // and nothing more
      const [headers] = (await once(stream, 'response')) as [Record<string, unknown>];
      assert.equal(headers[':status'], 408);
      stream.resume();
      await once(stream, 'close');
    } finally {
      session.destroy();
      await listener.close();
    }
  });

  it('swaps the TLS certificate for new connections, and refuses a pair that does not fit', async () => {
    const { listener, port } = await start({ tls: first });
    const fingerprint = async () => {
      const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false });
      await once(socket, 'secureConnect');
      const seen = socket.getPeerX509Certificate()!.fingerprint256;
      socket.destroy();
      return seen;
    };
    try {
      const before = await fingerprint();
      listener.setTlsCertificate(second);
      const afterSwap = await fingerprint();
      assert.notEqual(afterSwap, before);
      assert.throws(() => listener.setTlsCertificate({ key: first.key, cert: second.cert }));
      assert.throws(() => listener.setTlsCertificate({ key: 'nope', cert: 'nope' }));
      assert.equal(await fingerprint(), afterSwap);
    } finally {
      await listener.close();
    }
    const plain = await start();
    try {
      assert.throws(() => plain.listener.setTlsCertificate(first), /TLS is not enabled/);
    } finally {
      await plain.listener.close();
    }
  });
});
