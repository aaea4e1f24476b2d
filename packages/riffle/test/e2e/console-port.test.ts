import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { PROMETHEUS_CONTENT_TYPE } from '@riffle/metrics';
import { authorizationHeaders, kinesisClient, startRiffle, type RiffleProcess } from '@riffle/testkit';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with its path sent byte for byte (no URL normalisation: traversal attempts reach the server as written). */
function send(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

const SECRET = 'console-port-test-secret-outside-the-root';
const INDEX = '<!doctype html><title>console</title><div id="root"></div>';
const SCRIPT = 'console.log("app");';

describe('console port', () => {
  let base: string;
  let riffle: RiffleProcess;
  let consolePort: number;

  before(async () => {
    // A stand-in for the Vite build, with a file beside it that must never be served.
    base = await mkdtemp(join(tmpdir(), 'riffle-console-assets-'));
    const assets = join(base, 'web');
    await mkdir(join(assets, 'assets'), { recursive: true });
    await writeFile(join(assets, 'index.html'), INDEX);
    await writeFile(join(assets, 'assets', 'index-AbC123.js'), SCRIPT);
    await writeFile(join(assets, 'assets', 'index-AbC123.css'), 'body{}');
    await writeFile(join(assets, 'robots.txt'), 'User-agent: *\n');
    await writeFile(join(base, 'secret.txt'), SECRET);
    riffle = await startRiffle({ console: true, args: ['--console-assets', assets, '--store', 'memory'] });
    consolePort = riffle.consolePort!;
  });
  after(async () => {
    await riffle.stop();
    await rm(base, { recursive: true, force: true });
  });

  it('serves the console at / and its assets with their content types and caching', async () => {
    const page = await send(consolePort, '/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.match(String(page.headers['content-security-policy']), /connect-src 'self'/);
    assert.equal(page.body.toString(), INDEX);

    const script = await send(consolePort, '/assets/index-AbC123.js');
    assert.equal(script.status, 200);
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(script.headers['x-content-type-options'], 'nosniff');
    assert.equal(script.body.toString(), SCRIPT);
    assert.equal((await send(consolePort, '/assets/index-AbC123.css')).headers['content-type'], 'text/css; charset=utf-8');
    assert.equal((await send(consolePort, '/robots.txt')).headers['content-type'], 'text/plain; charset=utf-8');

    // Revalidation: the same ETag gets a 304 without a body.
    const again = await send(consolePort, '/assets/index-AbC123.js', { headers: { 'If-None-Match': String(script.headers.etag) } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const head = await send(consolePort, '/', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(INDEX.length));
    assert.equal(head.body.length, 0);
  });

  it('answers the app\'s client routes with its page, and a missing asset with 404', async () => {
    for (const path of ['/streams/orders', '/streams/orders/data-viewer', '/create']) {
      const answer = await send(consolePort, path);
      assert.equal(answer.status, 200, path);
      assert.equal(answer.body.toString(), INDEX, path);
    }
    // A stream name with a dot looks like a file; a browser's navigation (Accept: text/html) still gets the page.
    const dotted = await send(consolePort, '/streams/my.stream', { headers: { Accept: 'text/html,application/xhtml+xml' } });
    assert.equal(dotted.status, 200);
    assert.equal(dotted.body.toString(), INDEX);
    assert.equal((await send(consolePort, '/assets/missing-123.js')).status, 404);
    assert.equal((await send(consolePort, '/assets/missing-123.js', { headers: { Accept: 'text/html' } })).status, 404);
    assert.equal((await send(consolePort, '/favicon.png')).status, 404);
  });

  it('never serves a file outside its directory, however the path is written', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/%252e%252e/secret.txt',
      '/assets/..%00/secret.txt',
      '/%c0%ae%c0%ae/secret.txt',
      '//secret.txt',
      '/./secret.txt',
    ];
    for (const path of attempts) {
      const answer = await send(consolePort, path, { headers: { Accept: 'text/html' } });
      assert.ok(!answer.body.toString().includes(SECRET), `${path} served the secret`);
      assert.ok([400, 404, 200].includes(answer.status), `${path}: ${answer.status}`);
      // Whatever is answered 200 is the app's own page, never another file.
      if (answer.status === 200) assert.equal(answer.body.toString(), INDEX, path);
    }
    assert.equal((await send(consolePort, '/../secret.txt')).status, 400);
    assert.equal((await send(consolePort, '/%2e%2e/secret.txt')).status, 400);
    assert.equal((await send(consolePort, '/%zz')).status, 400);
  });

  it('serves Prometheus text at /metrics and the console\'s settings at /console-config.json', async () => {
    const metrics = await send(consolePort, '/metrics');
    assert.equal(metrics.status, 200);
    assert.equal(metrics.headers['content-type'], PROMETHEUS_CONTENT_TYPE);
    assert.equal(metrics.headers['cache-control'], 'no-store');
    const settings = await send(consolePort, '/console-config.json');
    assert.equal(settings.status, 200);
    assert.deepEqual(JSON.parse(settings.body.toString()), { region: 'us-east-1', auth: 'permissive' });
  });

  it('hands the SDK\'s calls to the API: a stream made, written and read through the console port', async () => {
    const client = kinesisClient(riffle.consoleEndpoint!, { http: '1.1' });
    try {
      await client.send(new CreateStreamCommand({ StreamName: 'through-console', ShardCount: 1 }));
      const put = await client.send(new PutRecordCommand({ StreamName: 'through-console', PartitionKey: 'k', Data: Buffer.from('hello console') }));
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: 'through-console', ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      const read = await client.send(new GetRecordsCommand({ ShardIterator }));
      assert.deepEqual(read.Records?.map((record) => Buffer.from(record.Data!).toString()), ['hello console']);
      // The put is counted, and /metrics on the same port shows it.
      const metrics = (await send(consolePort, '/metrics')).body.toString();
      assert.match(metrics, /^riffle_kinesis_incoming_records_total\{[^}]*stream="through-console"[^}]*\} 1$/m);
      // The same server behind both ports.
      const direct = kinesisClient(riffle.endpoint);
      assert.ok((await direct.send(new ListStreamsCommand({}))).StreamNames?.includes('through-console'));
      direct.destroy();
    } finally {
      client.destroy();
    }
  });

  it('answers every kind of API request exactly as the API port does (Kinesis, CloudWatch\'s three protocols, the rest)', async () => {
    const signed = authorizationHeaders();
    const requests: { name: string; path: string; method?: string; headers: Record<string, string>; body?: string | Buffer }[] = [
      { name: 'Kinesis JSON', path: '/', headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'Kinesis_20131202.DescribeStream', ...signed }, body: JSON.stringify({ StreamName: 'no-such-stream' }) },
      { name: 'Kinesis bad JSON', path: '/', headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'Kinesis_20131202.ListStreams', ...signed }, body: '{' },
      { name: 'CloudWatch JSON 1.0', path: '/', headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'GraniteServiceVersion20100801.ListMetrics', ...signed }, body: JSON.stringify({ Namespace: 'AWS/Kinesis' }) },
      { name: 'CloudWatch query', path: '/', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', ...signed }, body: 'Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FKinesis' },
      { name: 'CloudWatch rpc-v2-cbor', path: '/service/GraniteServiceVersion20100801/operation/ListMetrics', headers: { 'Content-Type': 'application/cbor', Accept: 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', ...signed }, body: Buffer.from([0xa0]) },
      { name: 'signed GET', path: '/?Action=ListMetrics&Version=2010-08-01', method: 'GET', headers: { ...signed } },
      { name: 'unsigned POST', path: '/', headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'Kinesis_20131202.ListStreams' }, body: '{}' },
      { name: 'PUT', path: '/', method: 'PUT', headers: {} },
    ];
    for (const request of requests) {
      const options = { method: request.method ?? 'POST', headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}) };
      const [viaApi, viaConsole] = [await send(riffle.port, request.path, options), await send(consolePort, request.path, options)];
      assert.equal(viaConsole.status, viaApi.status, request.name);
      assert.equal(viaConsole.headers['content-type'], viaApi.headers['content-type'], request.name);
      // Each answer has its own request id, also inside a query-protocol XML body.
      const body = (answer: Answer) => answer.body.toString('latin1').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<request id>');
      assert.equal(body(viaConsole), body(viaApi), request.name);
      assert.ok(viaConsole.headers['x-amzn-requestid'], `${request.name}: the API's own answer carries a request id`);
    }
  });
});

describe('console port settings', () => {
  it('is off with --console-port off: the started line names no console port and the API still answers', async () => {
    const riffle = await startRiffle({ args: ['--console-port', 'off', '--store', 'memory'] });
    try {
      assert.equal(riffle.consolePort, undefined);
      const started = riffle.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.event === 'started')!;
      assert.equal('consolePort' in started, false);
      const client = kinesisClient(riffle.endpoint);
      assert.deepEqual((await client.send(new ListStreamsCommand({}))).StreamNames, []);
      client.destroy();
    } finally {
      await riffle.stop();
    }
  });

  it('refuses to start, with exit code 2 and the reason, when the console port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(startRiffle({ args: ['--console-port', String(taken), '--store', 'memory'] }), (error: Error) => /exited \(2\)/.test(error.message) && /console port/.test(error.message) && /--console-port off/.test(error.message));
    } finally {
      blocker.close();
    }
  });

  it('is HTTPS when TLS is on, and passes signed calls through in strict mode', async () => {
    const key = { accessKeyId: 'AKIDCONSOLESTRICT', secretAccessKey: 'console-strict-secret' };
    const riffle = await startRiffle({ console: true, args: ['--tls', '--auth', 'strict', '--store', 'memory'], env: { RIFFLE_ACCESS_KEYS: `${key.accessKeyId}:${key.secretAccessKey}:000000000000` } });
    try {
      assert.match(riffle.consoleEndpoint!, /^https:/);
      const client = kinesisClient(riffle.consoleEndpoint!, { http: '1.1', credentials: key });
      await client.send(new CreateStreamCommand({ StreamName: 'strict-console', ShardCount: 1 }));
      assert.deepEqual((await client.send(new ListStreamsCommand({}))).StreamNames, ['strict-console']);
      client.destroy();
      // A wrong secret is refused as the API port refuses it.
      const wrong = { ...key, secretAccessKey: 'not-the-secret' };
      const refusals: string[] = [];
      for (const endpoint of [riffle.consoleEndpoint!, `https://127.0.0.1:${riffle.port}`]) {
        const bad = kinesisClient(endpoint, { http: '1.1', credentials: wrong });
        await assert.rejects(bad.send(new ListStreamsCommand({})), (error: Error) => {
          refusals.push(`${error.name}: ${error.message}`);
          return true;
        });
        bad.destroy();
      }
      assert.equal(refusals[0], refusals[1]);
      assert.match(refusals[0]!, /^InvalidSignatureException/);
    } finally {
      await riffle.stop();
    }
  });
});
