// Record distribution through a real server and the SDK.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand,
  InvalidArgumentException,
  PutRecordsCommand,
  UpdateStreamRecordDistributionStrategyCommand,
  ValidationException,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, startRiffle, type RiffleProcess } from '@riffle/testkit';

const MIB = 1024 * 1024;
const arn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

describe('record distribution with @aws-sdk/client-kinesis', () => {
  let riffle: RiffleProcess;
  let client: KinesisClient;
  before(async () => {
    riffle = await startRiffle();
    client = kinesisClient(riffle.endpoint);
  });
  after(async () => {
    client?.destroy();
    await riffle.stop();
  });

  // API reference, UpdateStreamRecordDistributionStrategy: "Attempting to set AUTO on a provisioned stream results in
  // an InvalidArgumentException." (also shared/reference/kinesis-api.md §2.2).
  it('answers InvalidArgumentException for AUTO on a provisioned stream', async () => {
    await client.send(new CreateStreamCommand({ StreamName: 'fixed', ShardCount: 1 }));
    await assert.rejects(
      client.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arn('fixed'), RecordDistributionStrategy: 'AUTO' })),
      (error: unknown) => {
        assert.ok(error instanceof InvalidArgumentException, `got ${(error as Error).name}: ${(error as Error).message}`);
        return true;
      },
    );
  });

  // A keyless entry on an AUTO stream is held to MaxRecordSizeInKiB like any other.
  it('refuses a keyless PutRecords entry above the stream maximum record size', async () => {
    await client.send(new CreateStreamCommand({ StreamName: 'spread', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    await client.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arn('spread'), RecordDistributionStrategy: 'AUTO' }));
    const big = new Uint8Array(2 * MIB);
    await assert.rejects(
      client.send(new PutRecordsCommand({ StreamName: 'spread', Records: [{ PartitionKey: 'k', Data: big }] })),
      ValidationException,
      'a keyed entry is refused',
    );
    await assert.rejects(
      client.send(new PutRecordsCommand({ StreamName: 'spread', Records: [{ Data: big } as { Data: Uint8Array; PartitionKey: string }] })),
      ValidationException,
      'a keyless entry of the same size is refused too',
    );
  });
});
