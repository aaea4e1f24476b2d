import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as http2Connect } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, PutRecordCommand, PutRecordsCommand, StartStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import { kinesisClient, rawRequest, startRiffle, TEST_MASTER_KEY, type RiffleProcess } from '@riffle/testkit';

// Everything Riffle logs at debug level, for requests that succeed and for every kind of refusal, holds no record
// data, no secret, no session token, no signature and no master key.

const PAYLOAD = 'LOG-MUST-NOT-SEE-THIS-RECORD-DATA';
const SECRET = 'log-test-secret-access-key-never-logged';
const TOKEN = 'LOG-TEST-SESSION-TOKEN-NEVER-LOGGED';
const SIGNATURE = 'f00d'.repeat(16);
const key = { accessKeyId: 'ASIALOGTEST', secretAccessKey: SECRET, sessionToken: TOKEN, accountId: '000000000000' };

function rawHeaders(target: string): Record<string, string> {
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return {
    'Content-Type': 'application/x-amz-json-1.1',
    'X-Amz-Target': `Kinesis_20131202.${target}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Security-Token': TOKEN,
    Authorization: `AWS4-HMAC-SHA256 Credential=ASIALOGTEST/${amzDate.slice(0, 8)}/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`,
  };
}

describe('logs at --log-level debug hold no record data or secrets', () => {
  let dir: string;
  let riffle: RiffleProcess;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-log-secrets-'));
    const keyFile = join(dir, 'keys.json');
    await writeFile(keyFile, JSON.stringify({ accessKeys: [key] }));
    riffle = await startRiffle({ args: ['--log-level', 'debug', '--auth', 'strict', '--access-keys', keyFile, '--max-body-bytes', '4096', '--max-header-bytes', '2048'] });

    const data = Buffer.from(PAYLOAD);
    const client = kinesisClient(riffle.endpoint, { credentials: key });
    await client.send(new CreateStreamCommand({ StreamName: 'quiet', ShardCount: 1 }));
    // Encrypted at rest from here on: the master key is in play and must not be logged either.
    await client.send(new StartStreamEncryptionCommand({ StreamName: 'quiet', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
    await client.send(new PutRecordCommand({ StreamName: 'quiet', PartitionKey: 'k', Data: data }));
    await client.send(new PutRecordsCommand({ StreamName: 'quiet', Records: [{ PartitionKey: 'k', Data: data }] }));
    const iterator = await client.send(new GetShardIteratorCommand({ StreamName: 'quiet', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    assert.equal((await client.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator! }))).Records!.length, 2);
    client.destroy();

    const wrongSecret = kinesisClient(riffle.endpoint, { credentials: { ...key, secretAccessKey: `${SECRET}-wrong` } });
    await assert.rejects(wrongSecret.send(new ListStreamsCommand({})), { name: 'InvalidSignatureException' });
    wrongSecret.destroy();

    const body = JSON.stringify({ StreamName: 'quiet', PartitionKey: 'k', Data: data.toString('base64') });
    // A forged signature, a body that is not JSON, a body over --max-body-bytes, headers over --max-header-bytes.
    assert.equal((await rawRequest(riffle.endpoint, { headers: rawHeaders('PutRecord'), body })).status, 400);
    assert.equal((await rawRequest(riffle.endpoint, { headers: rawHeaders('PutRecord'), body: `${PAYLOAD}{` })).status, 400);
    assert.equal((await rawRequest(riffle.endpoint, { headers: rawHeaders('PutRecord'), body: PAYLOAD.repeat(200) })).status, 413);
    const tooLarge = await rawRequest(riffle.endpoint, { headers: { ...rawHeaders('PutRecord'), 'X-Data': PAYLOAD.repeat(100) }, body }).catch(() => undefined);
    assert.equal(tooLarge?.status, 431);

    // The same over HTTP/2, and HTTP/1.1 garbage carrying the data.
    const session = http2Connect(riffle.endpoint);
    session.on('error', () => undefined);
    const stream = session.request({ ':method': 'POST', ':path': '/', ...Object.fromEntries(Object.entries(rawHeaders('PutRecord')).map(([name, value]) => [name.toLowerCase(), value])) });
    stream.on('error', () => undefined);
    stream.resume();
    stream.end(body);
    await once(stream, 'close');
    session.destroy();
    const garbage = netConnect(riffle.port, '127.0.0.1');
    garbage.on('error', () => undefined);
    garbage.resume();
    garbage.write(`POST / HTTP/1.1\r\nAuthorization: ${rawHeaders('PutRecord').Authorization}\r\nX-Data ${PAYLOAD}\r\n\r\n`);
    await once(garbage, 'close');

    assert.equal(await riffle.stop(), 0);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('logged at debug level at all', () => {
    const events = riffle.logs.map((line) => JSON.parse(line) as { level: string; event: string });
    assert.ok(events.some((entry) => entry.level === 'debug' && entry.event === 'http1-client-error'), 'no debug lines: the test would prove nothing');
  });

  it('never wrote record data, the secret, the session token, a signature or an Authorization header', () => {
    const output = `${riffle.logs.join('\n')}\n${riffle.stderr()}`;
    for (const [what, text] of [
      ['record data', PAYLOAD],
      ['record data (base64)', Buffer.from(PAYLOAD).toString('base64')],
      ['the secret', SECRET],
      ['the session token', TOKEN],
      ['the master key', TEST_MASTER_KEY],
      ['the forged signature', SIGNATURE],
      ['an Authorization header', 'AWS4-HMAC-SHA256'],
    ] as const) {
      assert.ok(!output.includes(text), `the logs hold ${what}`);
    }
    assert.doesNotMatch(output, /Signature=[0-9a-f]{64}/);
  });
});
