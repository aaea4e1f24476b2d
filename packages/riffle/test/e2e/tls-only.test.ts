import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect as http2Connect, constants as http2Constants } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { kinesisCall, kinesisClient, listStreamsOverTrustedTls, type RiffleProcess, startRiffle } from '@riffle/testkit';


describe('--tls-only', () => {
  let riffle: RiffleProcess;
  let auditDir: string;
  let auditLog: string;

  before(async () => {
    auditDir = await mkdtemp(join(tmpdir(), 'riffle-tls-only-audit-'));
    auditLog = join(auditDir, 'audit.log');
    riffle = await startRiffle({ args: ['--tls-only', '--audit-log', auditLog] });
  });
  after(async () => {
    if (riffle.child.exitCode === null) await riffle.stop();
    await rm(auditDir, { recursive: true, force: true });
  });

  it('answers plain HTTP/1.1 with a 400 that says TLS is required, and dispatches nothing', async () => {
    const answer = await kinesisCall(riffle.endpoint, 'CreateStream', JSON.stringify({ StreamName: 'in-clear', ShardCount: 1 }));
    assert.equal(answer.status, 400);
    assert.match(answer.body.toString('utf8'), /TLS only \(use https:\/\/\)/);

    const socket = netConnect(riffle.port, '127.0.0.1');
    socket.on('error', () => undefined);
    let received = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');
    await once(socket, 'close');
    assert.match(received, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(received, /Connection: close\r\n/);
    assert.match(received, /plain HTTP request was sent to HTTPS port.*TLS only/);
  });

  it('refuses h2c with GOAWAY(INADEQUATE_SECURITY)', async () => {
    const session = http2Connect(riffle.endpoint);
    session.on('error', () => undefined);
    const [code, , debug] = (await once(session, 'goaway')) as [number, number, Buffer];
    assert.equal(code, http2Constants.NGHTTP2_INADEQUATE_SECURITY);
    assert.equal(debug.toString('latin1'), 'TLS required');
    session.destroy();
  });

  it('serves the SDK over https (HTTP/1.1 with an agent that trusts the self-signed certificate)', async () => {
    const client = kinesisClient(`https://127.0.0.1:${riffle.port}`, { http: '1.1' });
    try {
      await client.send(new CreateStreamCommand({ StreamName: 'over-tls', ShardCount: 1 }));
      assert.deepEqual((await client.send(new ListStreamsCommand({}))).StreamNames, ['over-tls']);
    } finally {
      client.destroy();
    }
  });

  it('serves the unmodified SDK over h2 (the certificate trusted by NODE_EXTRA_CA_CERTS in the child only)', async () => {
    const names = await listStreamsOverTrustedTls(`https://localhost:${riffle.port}`, join(riffle.dataDir, 'tls', 'cert.pem'));
    assert.deepEqual(names, ['over-tls']);
  });

  it('records tlsDetails in the audit log, and nothing for the refused plain requests', async () => {
    assert.equal(await riffle.stop(), 0);
    const records = (await readFile(auditLog, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(records.map((record) => record.eventName), ['CreateStream', 'ListStreams', 'ListStreams']);
    for (const record of records) {
      assert.match(record.tlsDetails.tlsVersion, /^TLSv1\.[23]$/);
      assert.equal(typeof record.tlsDetails.cipherSuite, 'string');
      assert.match(record.tlsDetails.clientProvidedHostHeader, /^(127\.0\.0\.1|localhost):\d+$/);
    }
    assert.ok(!records.some((record) => record.requestParameters?.streamName === 'in-clear'));
  });
});
