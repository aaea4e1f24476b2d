import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisCall, kinesisClient, startRiffle, type RiffleProcess } from '@riffle/testkit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Record data that must never reach the audit log, in clear or in base64. */
const PAYLOAD = 'AUDIT-MUST-NOT-SEE-THIS-PAYLOAD';
const PAYLOAD_FORMS = [PAYLOAD, Buffer.from(PAYLOAD).toString('base64')];

type AuditRecord = Record<string, any>;

async function readAudit(path: string): Promise<AuditRecord[]> {
  return (await readFile(path, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as AuditRecord);
}

describe('audit log: control-plane calls (default)', () => {
  let dir: string;
  let riffle: RiffleProcess;
  let client: KinesisClient;
  let createRequestId: string | undefined;
  let missingMessage: string | undefined;
  let records: AuditRecord[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-audit-'));
    riffle = await startRiffle({ args: ['--audit-log', join(dir, 'audit.log')] });
    client = kinesisClient(riffle.endpoint, { http: '1.1' });
    const created = await client.send(new CreateStreamCommand({ StreamName: 'audited', ShardCount: 2 }));
    createRequestId = created.$metadata.requestId;
    await client.send(new DescribeStreamSummaryCommand({ StreamName: 'audited' }));
    await client.send(new AddTagsToStreamCommand({ StreamName: 'audited', Tags: { CostCenter: 'A-1' } }));
    // Data plane: not audited without --audit-data-events.
    await client.send(new PutRecordCommand({ StreamName: 'audited', PartitionKey: 'k', Data: Buffer.from(PAYLOAD) }));
    await client.send(new PutRecordsCommand({ StreamName: 'audited', Records: [{ PartitionKey: 'k', Data: Buffer.from(PAYLOAD) }] }));
    const iterator = await client.send(new GetShardIteratorCommand({ StreamName: 'audited', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    await client.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator! }));
    missingMessage = await client.send(new DescribeStreamCommand({ StreamName: 'missing' })).then(
      () => undefined,
      (error: Error) => error.message,
    );
    client.destroy();
    // A clean stop flushes the audit log.
    assert.equal(await riffle.stop(), 0);
    records = await readAudit(join(dir, 'audit.log'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has one line per control-plane call and none for the data plane', () => {
    assert.deepEqual(records.map((record) => record.eventName), ['CreateStream', 'DescribeStreamSummary', 'AddTagsToStream', 'DescribeStream']);
  });

  it("writes CloudTrail's record fields", () => {
    const [created] = records;
    assert.equal(created!.eventVersion, '1.08');
    assert.deepEqual(created!.userIdentity, { type: 'Root', principalId: '000000000000', arn: 'arn:aws:iam::000000000000:root', accountId: '000000000000', accessKeyId: 'AKIDRIFFLETEST' });
    assert.match(created!.eventTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(created!.eventSource, 'kinesis.amazonaws.com');
    assert.equal(created!.awsRegion, 'us-east-1');
    assert.equal(created!.sourceIPAddress, '127.0.0.1');
    assert.match(created!.userAgent, /aws-sdk-js/);
    assert.deepEqual(created!.requestParameters, { streamName: 'audited', shardCount: 2 });
    assert.equal(created!.responseElements, null);
    assert.equal(created!.requestID, createRequestId);
    assert.match(created!.eventID, UUID);
    assert.equal(created!.readOnly, false);
    assert.equal(created!.eventType, 'AwsApiCall');
    assert.equal(created!.managementEvent, true);
    assert.equal(created!.recipientAccountId, '000000000000');
    assert.equal(created!.eventCategory, 'Management');
    assert.equal(created!.tlsDetails, undefined);
    assert.equal(records[1]!.readOnly, true);
    assert.deepEqual(records[2]!.requestParameters, { streamName: 'audited', tags: { CostCenter: 'A-1' } });
    assert.equal(new Set(records.map((record) => record.eventID)).size, records.length);
  });

  it('records a failed call with errorCode and errorMessage', () => {
    const failed = records[3]!;
    assert.equal(failed.errorCode, 'ResourceNotFoundException');
    assert.equal(failed.errorMessage, missingMessage);
    assert.deepEqual(failed.requestParameters, { streamName: 'missing' });
    assert.equal(failed.responseElements, null);
  });
});

describe('audit log: data events (--audit-data-events) in strict mode', () => {
  const key = { accessKeyId: 'AKIDAUDITOR', secretAccessKey: 'auditor-secret-never-logged', accountId: '111122223333', userName: 'auditor' };
  let dir: string;
  let riffle: RiffleProcess;
  let records: AuditRecord[];
  let text: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-audit-data-'));
    const keyFile = join(dir, 'keys.json');
    await writeFile(keyFile, JSON.stringify({ accessKeys: [key] }));
    riffle = await startRiffle({ args: ['--auth', 'strict', '--access-keys', keyFile, '--account-id', '111122223333', '--audit-log', join(dir, 'audit.log'), '--audit-data-events'] });
    const client = kinesisClient(riffle.endpoint, { credentials: key });
    await client.send(new CreateStreamCommand({ StreamName: 'data', ShardCount: 1 }));
    await client.send(new PutRecordCommand({ StreamName: 'data', PartitionKey: 'pk', Data: Buffer.from(PAYLOAD) }));
    await client.send(new PutRecordsCommand({ StreamName: 'data', Records: [1, 2, 3].map(() => ({ PartitionKey: 'pk', Data: Buffer.from(PAYLOAD) })) }));
    const iterator = await client.send(new GetShardIteratorCommand({ StreamName: 'data', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    const read = await client.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator! }));
    assert.equal(read.Records!.length, 4);
    const { Consumer } = await client.send(new RegisterStreamConsumerCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:111122223333:stream/data', ConsumerName: 'c' }));
    const subscription = await client.send(new SubscribeToShardCommand({ ConsumerARN: Consumer!.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' } }));
    for await (const event of subscription.EventStream!) if (event.SubscribeToShardEvent) break;
    client.destroy();
    // A signature made with the wrong secret: refused before dispatch, and still audited.
    await kinesisCall(riffle.endpoint, 'ListStreams', '{}');
    assert.equal(await riffle.stop(), 0);
    text = await readFile(join(dir, 'audit.log'), 'utf8');
    records = await readAudit(join(dir, 'audit.log'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records the data plane as data events, after the control plane', () => {
    assert.deepEqual(records.map((record) => record.eventName), [
      'CreateStream', 'PutRecord', 'PutRecords', 'GetShardIterator', 'GetRecords', 'RegisterStreamConsumer', 'SubscribeToShard', 'ListStreams',
    ]);
    for (const record of records.slice(1, 5).concat(records[6]!)) {
      assert.equal(record.eventCategory, 'Data', record.eventName);
      assert.equal(record.managementEvent, false, record.eventName);
    }
    assert.deepEqual(records.map((record) => record.readOnly), [false, false, false, true, true, false, true, true]);
  });

  it('names the verified caller', () => {
    assert.deepEqual(records[0]!.userIdentity, {
      type: 'IAMUser', principalId: 'AKIDAUDITOR', arn: 'arn:aws:iam::111122223333:user/auditor', accountId: '111122223333', accessKeyId: 'AKIDAUDITOR', userName: 'auditor',
    });
    assert.equal(records[0]!.recipientAccountId, '111122223333');
  });

  it('keeps record data out: PutRecord without Data, PutRecords as a count', () => {
    for (const form of PAYLOAD_FORMS) assert.ok(!text.includes(form), `the audit log holds record data (${form})`);
    assert.ok(!text.includes(key.secretAccessKey));
    assert.deepEqual(records[1]!.requestParameters, { streamName: 'data', partitionKey: 'pk' });
    assert.match(records[1]!.responseElements.sequenceNumber, /^\d+$/);
    assert.equal(records[1]!.responseElements.shardId, 'shardId-000000000000');
    assert.deepEqual(records[2]!.requestParameters, { streamName: 'data', recordCount: 3 });
    assert.equal(records[3]!.responseElements, null, 'no shard iterator in the log');
    assert.deepEqual(Object.keys(records[6]!.requestParameters).sort(), ['consumerARN', 'shardId', 'startingPosition']);
  });

  it('audits a refused signature as an Unknown caller, without the signature', () => {
    const refused = records.at(-1)!;
    assert.equal(refused.errorCode, 'UnrecognizedClientException');
    assert.deepEqual(refused.userIdentity, { type: 'Unknown', accessKeyId: 'AKIDRIFFLETEST' });
    assert.ok(!text.includes('0'.repeat(64)), 'the signature reached the audit log');
  });
});

describe('audit log rotation', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-audit-rotation-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rotates FILE into FILE.1 and FILE.2 and keeps --audit-log-files of them', async () => {
    const path = join(dir, 'audit.log');
    const riffle = await startRiffle({ args: ['--audit-log', path, '--audit-log-max-bytes', '2048', '--audit-log-files', '2'] });
    const client = kinesisClient(riffle.endpoint, { http: '1.1' });
    try {
      // ~600 bytes a record: 30 calls are about nine files' worth.
      for (let index = 0; index < 30; index++) await client.send(new ListStreamsCommand({ Limit: index + 1 }));
    } finally {
      client.destroy();
      assert.equal(await riffle.stop(), 0);
    }
    assert.deepEqual((await readdir(dir)).sort(), ['audit.log', 'audit.log.1', 'audit.log.2']);
    const limits: number[] = [];
    for (const name of ['audit.log.2', 'audit.log.1', 'audit.log']) {
      const records = await readAudit(join(dir, name));
      assert.ok((await readFile(join(dir, name))).length <= 2048);
      limits.push(...records.map((record) => record.requestParameters.limit as number));
    }
    // The newest calls, in order, through the last one.
    assert.equal(limits.at(-1), 30);
    assert.deepEqual(limits, limits.map((_, index) => limits[0]! + index));
  });
});
