import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetShardIteratorCommand,
  LimitExceededException,
  ListStreamsCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, readShard, startRiffle, type RiffleProcess } from '@riffle/testkit';

const spec = 'PutRecords:throttle=0.2:internal=0.1,ListStreams:internal=1,DescribeStreamSummary:throttle=1,GetShardIterator:throttle=0.5';

describe('--fault-injection end to end', () => {
  let riffle: RiffleProcess;
  // maxAttempts 1 (the testkit's client): the SDK's own retries would hide the raw answers.
  let client: KinesisClient;
  before(async () => {
    riffle = await startRiffle({ args: ['--store', 'memory', '--fault-injection', spec, '--fault-seed', '7'] });
    client = kinesisClient(riffle.endpoint);
    await client.send(new CreateStreamCommand({ StreamName: 'flaky', ShardCount: 2 }));
  });
  after(async () => {
    client.destroy();
    await riffle.stop();
  });

  it('logs the plan and its seed at start, so that a run can be repeated', () => {
    const started = riffle.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.event === 'started');
    assert.equal(started?.faultInjection, spec);
    assert.equal(started?.faultSeed, 7);
  });

  it('answers InternalFailure with HTTP 500, which the SDK reports as a server fault', async () => {
    await assert.rejects(client.send(new ListStreamsCommand({})), (error: { name: string; $fault: string; $metadata: { httpStatusCode: number } }) => {
      assert.equal(error.name, 'InternalFailure');
      assert.equal(error.$fault, 'server');
      assert.equal(error.$metadata.httpStatusCode, 500);
      return true;
    });
  });

  it('throttles a control-plane operation with LimitExceededException', async () => {
    await assert.rejects(client.send(new DescribeStreamSummaryCommand({ StreamName: 'flaky' })), (error: unknown) => {
      assert.ok(error instanceof LimitExceededException);
      assert.equal(error.message, 'Rate exceeded for stream flaky under account 000000000000.');
      return true;
    });
  });

  it('fails PutRecords entries one by one, and stores exactly the others', async () => {
    const Records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(`r${i}`) }));
    const result = await client.send(new PutRecordsCommand({ StreamName: 'flaky', Records }));
    const failed = result.Records!.filter((entry) => entry.ErrorCode !== undefined);
    assert.equal(result.FailedRecordCount, failed.length);
    const throttled = failed.filter((entry) => entry.ErrorCode === 'ProvisionedThroughputExceededException');
    const internal = failed.filter((entry) => entry.ErrorCode === 'InternalFailure');
    assert.equal(throttled.length + internal.length, failed.length);
    assert.ok(throttled.length > 50 && throttled.length < 150, `throttled ${throttled.length}`);
    assert.ok(internal.length > 20 && internal.length < 80, `internal ${internal.length}`);
    for (const entry of throttled) assert.match(entry.ErrorMessage!, /^Rate exceeded for shard shardId-00000000000[01] in stream flaky under account 000000000000\.$/);
    for (const entry of internal) assert.equal(entry.ErrorMessage, 'Internal service failure.');

    const expected = result.Records!.flatMap((entry, i) => (entry.ErrorCode === undefined ? [`r${i}`] : []));
    const read: string[] = [];
    for (const ShardId of ['shardId-000000000000', 'shardId-000000000001']) {
      // GetShardIterator fails half the time: asked again until it answers (bounded).
      let iterator: string | undefined;
      for (let attempt = 0; attempt < 50 && iterator === undefined; attempt++) {
        iterator = await client
          .send(new GetShardIteratorCommand({ StreamName: 'flaky', ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
          .then((answer) => answer.ShardIterator, () => undefined);
      }
      assert.ok(iterator !== undefined);
      for (const r of await readShard(client, 'flaky', ShardId, { iterator })) read.push(Buffer.from(r.Data!).toString());
    }
    assert.deepEqual(read.sort(), expected.sort());
  });
});
