import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { connect as http2Connect } from 'node:http2';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { authorizationHeaders, kinesisJson, listStreamsOverTrustedTls, type RiffleProcess, startRiffle } from '@riffle/testkit';


const listStreamsHeaders = () => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': 'Kinesis_20131202.ListStreams',
  ...Object.fromEntries(Object.entries(authorizationHeaders()).map(([k, v]) => [k.toLowerCase(), v])),
});

describe('TLS with ALPN on the same port (--tls, self-signed certificate)', () => {
  let riffle: RiffleProcess;
  let ca: Buffer;
  let httpsEndpoint: string;

  before(async () => {
    riffle = await startRiffle({ args: ['--tls'] });
    ca = await readFile(join(riffle.dataDir, 'tls', 'cert.pem'));
    httpsEndpoint = `https://127.0.0.1:${riffle.port}`;
  });
  after(async () => {
    await riffle.stop();
  });

  it('negotiates h2 by ALPN and answers over HTTP/2', async () => {
    const session = http2Connect(httpsEndpoint, { ca });
    try {
      await new Promise<void>((resolve, reject) => session.once('connect', () => resolve()).once('error', reject));
      assert.equal((session.socket as TLSSocket).alpnProtocol, 'h2');
      const stream = session.request({ ':method': 'POST', ':path': '/', ...listStreamsHeaders() });
      stream.end('{}');
      let status = 0;
      let body = '';
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      await new Promise((resolve) => stream.on('end', resolve));
      assert.equal(status, 200);
      assert.deepEqual(JSON.parse(body).StreamNames, []);
    } finally {
      session.close();
    }
  });

  it('negotiates http/1.1 by ALPN and answers over HTTP/1.1', async () => {
    const { status, alpn } = await new Promise<{ status: number; alpn: string | false | null }>((resolve, reject) => {
      const req = httpsRequest(httpsEndpoint, { method: 'POST', ca, ALPNProtocols: ['http/1.1'], headers: listStreamsHeaders(), agent: false } as RequestOptions & { ALPNProtocols: string[] }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, alpn: (res.socket as TLSSocket).alpnProtocol }));
      });
      req.on('error', reject);
      req.end('{}');
    });
    assert.equal(alpn, 'http/1.1');
    assert.equal(status, 200);
  });

  it('still speaks plain HTTP on the same port', async () => {
    assert.equal((await kinesisJson(riffle.endpoint, 'ListStreams', {})).status, 200);
  });

  it('serves the unmodified SDK (default HTTP/2 handler) trusting the certificate through NODE_EXTRA_CA_CERTS', async () => {
    const names = await listStreamsOverTrustedTls(httpsEndpoint.replace('127.0.0.1', 'localhost'), join(riffle.dataDir, 'tls', 'cert.pem'), 'over-tls');
    assert.deepEqual(names, ['over-tls']);
  });

  it('reuses the generated certificate across restarts', async () => {
    // In memory: the first server holds the data directory's file store, and the certificate is what is shared.
    const again = await startRiffle({ args: ['--tls', '--store', 'memory'], dataDir: riffle.dataDir });
    try {
      assert.deepEqual(await readFile(join(riffle.dataDir, 'tls', 'cert.pem')), ca);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});
