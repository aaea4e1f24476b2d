import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceNotFoundException,
  waitUntilStreamExists,
  waitUntilStreamNotExists,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, startRiffle, type RiffleProcess } from '@riffle/testkit';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The same user journey through both transports the Node SDK offers: its default HTTP/2 handler and HTTP/1.1.
for (const http of ['2', '1.1'] as const) {
  describe(`@aws-sdk/client-kinesis over HTTP/${http}`, () => {
    let riffle: RiffleProcess;
    before(async () => {
      riffle = await startRiffle();
    });
    after(async () => {
      await riffle.stop();
    });

    it('creates, writes, reads and deletes a stream as a user would', async () => {
      const client = kinesisClient(riffle.endpoint, { http });
      try {
        const StreamName = `orders-${http.replace('.', '')}`;
        await client.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));
        await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { StreamName });

        const description = (await client.send(new DescribeStreamCommand({ StreamName }))).StreamDescription!;
        assert.equal(description.StreamStatus, 'ACTIVE');
        assert.equal(description.StreamARN, `arn:aws:kinesis:us-east-1:000000000000:stream/${StreamName}`);
        assert.equal(description.Shards!.length, 2);
        assert.equal(description.Shards![0]!.ShardId, 'shardId-000000000000');
        assert.equal(description.Shards![0]!.HashKeyRange!.StartingHashKey, '0');
        assert.equal(description.Shards![1]!.HashKeyRange!.EndingHashKey, '340282366920938463463374607431768211455');
        assert.equal(description.RetentionPeriodHours, 24);
        assert.ok(description.StreamCreationTimestamp instanceof Date);

        const listed = await client.send(new ListStreamsCommand({}));
        assert.deepEqual(listed.StreamNames, [StreamName]);
        assert.equal(listed.HasMoreStreams, false);
        assert.equal(listed.StreamSummaries![0]!.StreamStatus, 'ACTIVE');

        const single = await client.send(
          new PutRecordCommand({ StreamName, PartitionKey: 'user1', Data: encoder.encode('user signup') }),
        );
        assert.match(single.SequenceNumber!, /^\d{56}$/);
        const batch = await client.send(
          new PutRecordsCommand({
            StreamName,
            Records: Array.from({ length: 50 }, (_, i) => ({ PartitionKey: `user${i}`, Data: encoder.encode(`event ${i}`) })),
          }),
        );
        assert.equal(batch.FailedRecordCount, 0);
        assert.equal(batch.Records!.length, 50);

        // Read every shard from TRIM_HORIZON; all 51 records come back exactly once with their data.
        const seen = new Map<string, string>();
        const shards = (await client.send(new ListShardsCommand({ StreamName }))).Shards!;
        for (const shard of shards) {
          let iterator = (
            await client.send(new GetShardIteratorCommand({ StreamName, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))
          ).ShardIterator;
          for (let round = 0; round < 5 && iterator; round++) {
            const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 20 }));
            for (const record of page.Records!) {
              assert.ok(!seen.has(record.SequenceNumber!), 'no record is returned twice');
              assert.ok(record.ApproximateArrivalTimestamp instanceof Date);
              seen.set(record.SequenceNumber!, decoder.decode(record.Data!));
            }
            if (page.Records!.length === 0) break;
            iterator = page.NextShardIterator;
          }
        }
        assert.equal(seen.size, 51);
        assert.equal(seen.get(single.SequenceNumber!), 'user signup');
        for (const [i, entry] of batch.Records!.entries()) assert.equal(seen.get(entry.SequenceNumber!), `event ${i}`);

        await client.send(new DeleteStreamCommand({ StreamName }));
        await waitUntilStreamNotExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { StreamName });
        await assert.rejects(
          client.send(new DescribeStreamSummaryCommand({ StreamName })),
          (error: unknown) =>
            error instanceof ResourceNotFoundException &&
            error.message === `Stream ${StreamName} under account 000000000000 not found.`,
        );
      } finally {
        client.destroy();
      }
    });
  });
}
