import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';
const arn = (name: string) => `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** JSON 1.1 sends timestamps as epoch seconds. */
const seconds = (ms: number) => ms / 1000;

describe('UpdateStreamRecordDistributionStrategy conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'spread', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    await server.call('CreateStream', { StreamName: 'fixed', ShardCount: 2 });
  });
  after(() => server.close());

  const shardsOf = async (count: number) => {
    const res = await server.call('PutRecords', {
      StreamName: 'spread',
      Records: Array.from({ length: count }, (_, i) => ({ PartitionKey: 'same-key', Data: b64(String(i)) })),
    });
    assert.equal(res.body.FailedRecordCount, 0);
    return res.body.Records.map((r: any) => r.ShardId) as string[];
  };
  const tally = (ids: string[]) => {
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    return Object.fromEntries([...counts].sort());
  };

  it('routes by partition key until AUTO is set, then spreads records evenly over the open shards', async () => {
    const keyed = await shardsOf(8);
    assert.equal(new Set(keyed).size, 1, 'one partition key, one shard');

    const res = await server.call('UpdateStreamRecordDistributionStrategy', { StreamARN: arn('spread'), RecordDistributionStrategy: 'AUTO' });
    assert.deepEqual(res, { status: 200, body: undefined });
    assert.deepEqual(tally(await shardsOf(8)), {
      'shardId-000000000000': 2,
      'shardId-000000000001': 2,
      'shardId-000000000002': 2,
      'shardId-000000000003': 2,
    });
    const single = [];
    for (let i = 0; i < 4; i++) {
      single.push((await server.call('PutRecord', { StreamName: 'spread', PartitionKey: 'same-key', Data: b64('x') })).body.ShardId);
    }
    assert.equal(new Set(single).size, 4, 'PutRecord spreads too');

    assert.equal(
      (await server.call('UpdateStreamRecordDistributionStrategy', { StreamARN: arn('spread'), RecordDistributionStrategy: 'USER_PARTITION_KEY' })).status,
      200,
    );
    assert.equal(new Set(await shardsOf(8)).size, 1, 'back to routing by partition key');
  });

  const refusals: Array<{ name: string; input: Record<string, unknown>; type: string; message: string }> = [
    {
      name: 'a provisioned stream',
      // "Attempting to set AUTO on a provisioned stream results in an InvalidArgumentException" (API reference).
      input: { StreamARN: arn('fixed'), RecordDistributionStrategy: 'AUTO' },
      type: 'InvalidArgumentException',
      message: `Request is invalid. Stream fixed under account ${account} is in Provisioned mode.`,
    },
    {
      name: 'a call without StreamARN',
      input: { StreamName: 'spread', RecordDistributionStrategy: 'AUTO' },
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'streamARN' failed to satisfy constraint: Member must not be null",
    },
    {
      name: 'a strategy outside the model enum',
      input: { StreamARN: arn('spread'), RecordDistributionStrategy: 'RANDOM' },
      type: 'ValidationException',
      message:
        "1 validation error detected: Value 'RANDOM' at 'recordDistributionStrategy' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [AUTO, USER_PARTITION_KEY]',
    },
    {
      name: 'an unknown stream',
      input: { StreamARN: arn('absent'), RecordDistributionStrategy: 'AUTO' },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
  ];
  for (const { name, input, type, message } of refusals) {
    it(`refuses ${name}`, async () => {
      expectError(await server.call('UpdateStreamRecordDistributionStrategy', input), type, message, assert.deepEqual);
    });
  }
});

describe('RecordDistributionStrategy in CreateStream and DescribeStreamSummary', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
  });
  after(() => server.close());

  const summary = async (name: string) => (await server.call('DescribeStreamSummary', { StreamName: name })).body.StreamDescriptionSummary;

  it('is shown for on-demand streams only, set at creation or later, and lets AUTO records go without a partition key', async () => {
    await server.call('CreateStream', { StreamName: 'auto', StreamModeDetails: { StreamMode: 'ON_DEMAND' }, RecordDistributionStrategy: 'AUTO' });
    await server.call('CreateStream', { StreamName: 'keyed', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    await server.call('CreateStream', { StreamName: 'prov', ShardCount: 1 });
    assert.equal((await summary('auto')).RecordDistributionStrategy, 'AUTO');
    assert.equal((await summary('keyed')).RecordDistributionStrategy, 'USER_PARTITION_KEY');
    assert.equal('RecordDistributionStrategy' in (await summary('prov')), false);
    expectError(
      await server.call('CreateStream', { StreamName: 'bad', ShardCount: 1, RecordDistributionStrategy: 'AUTO' }),
      'InvalidArgumentException',
      `Request is invalid. Stream bad under account ${account} is in Provisioned mode.`,
      assert.deepEqual,
    );

    const keyless = await server.call('PutRecord', { StreamName: 'auto', Data: b64('no key') });
    assert.equal(keyless.status, 200);
    const iterator = (await server.call('GetShardIterator', { StreamName: 'auto', ShardId: keyless.body.ShardId, ShardIteratorType: 'TRIM_HORIZON' })).body.ShardIterator;
    const [record] = (await server.call('GetRecords', { ShardIterator: iterator })).body.Records;
    assert.equal(Buffer.from(record.Data, 'base64').toString(), 'no key');
    assert.equal('PartitionKey' in record, false);
    expectError(
      await server.call('PutRecord', { StreamName: 'keyed', Data: b64('no key') }),
      'ValidationException',
      "1 validation error detected: Value null at 'partitionKey' failed to satisfy constraint: Member must not be null",
      assert.deepEqual,
    );
    expectError(
      await server.call('PutRecords', { StreamName: 'keyed', Records: [{ PartitionKey: 'k', Data: b64('a') }, { Data: b64('b') }] }),
      'ValidationException',
      "1 validation error detected: Value null at 'records.2.member.partitionKey' failed to satisfy constraint: Member must not be null",
      assert.deepEqual,
    );
  });
});

describe('DescribeAccountSettings and UpdateAccountSettings conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
  });
  after(() => server.close());

  const describeSettings = async () => (await server.call('DescribeAccountSettings', {})).body;
  const update = (status: string) => server.call('UpdateAccountSettings', { MinimumThroughputBillingCommitment: { Status: status } });

  it('starts DISABLED, and disabling then is a no-op', async () => {
    assert.deepEqual(await server.call('DescribeAccountSettings', {}), {
      status: 200,
      body: { MinimumThroughputBillingCommitment: { Status: 'DISABLED' } },
    });
    assert.deepEqual(await update('DISABLED'), { status: 200, body: { MinimumThroughputBillingCommitment: { Status: 'DISABLED' } } });
  });

  it('enables with StartedAt now and EarliestAllowedEndAt 24 hours later, in epoch seconds', async () => {
    const started = server.clock.now();
    const enabled = { Status: 'ENABLED', StartedAt: seconds(started), EarliestAllowedEndAt: seconds(started + DAY) };
    assert.deepEqual(await update('ENABLED'), { status: 200, body: { MinimumThroughputBillingCommitment: enabled } });
    assert.deepEqual(await describeSettings(), { MinimumThroughputBillingCommitment: enabled });
    assert.equal(typeof (await describeSettings()).MinimumThroughputBillingCommitment.StartedAt, 'number');

    // Enabling again keeps the commitment that runs.
    await server.clock.advance(HOUR);
    assert.deepEqual((await update('ENABLED')).body, { MinimumThroughputBillingCommitment: enabled });

    // Disabling inside the first 24 hours is not an error: it runs until its earliest end.
    const pending = (await update('DISABLED')).body.MinimumThroughputBillingCommitment;
    assert.deepEqual(
      { Status: pending.Status, StartedAt: pending.StartedAt, EarliestAllowedEndAt: pending.EarliestAllowedEndAt },
      { Status: 'ENABLED_UNTIL_EARLIEST_ALLOWED_END', StartedAt: seconds(started), EarliestAllowedEndAt: seconds(started + DAY) },
    );
    assert.equal((await describeSettings()).MinimumThroughputBillingCommitment.Status, 'ENABLED_UNTIL_EARLIEST_ALLOWED_END');

    // Enabling again before then cancels the pending disable.
    assert.deepEqual((await update('ENABLED')).body, { MinimumThroughputBillingCommitment: enabled });

    // Disabled again, it ends by itself at its earliest end.
    assert.equal((await update('DISABLED')).body.MinimumThroughputBillingCommitment.Status, 'ENABLED_UNTIL_EARLIEST_ALLOWED_END');
    await server.clock.advance(DAY - HOUR - 1);
    assert.equal((await describeSettings()).MinimumThroughputBillingCommitment.Status, 'ENABLED_UNTIL_EARLIEST_ALLOWED_END');
    await server.clock.advance(1);
    const ended = (await describeSettings()).MinimumThroughputBillingCommitment;
    assert.deepEqual([ended.Status, ended.EndedAt], ['DISABLED', seconds(started + DAY)]);
  });

  it('enables afresh after an ended commitment, and disabling after 24 hours ends it at once', async () => {
    const started = server.clock.now();
    const fresh = (await update('ENABLED')).body.MinimumThroughputBillingCommitment;
    assert.deepEqual(fresh, { Status: 'ENABLED', StartedAt: seconds(started), EarliestAllowedEndAt: seconds(started + DAY) });
    await server.clock.advance(DAY + HOUR);
    const disabled = (await update('DISABLED')).body.MinimumThroughputBillingCommitment;
    assert.deepEqual(disabled, {
      Status: 'DISABLED',
      StartedAt: seconds(started),
      EarliestAllowedEndAt: seconds(started + DAY),
      EndedAt: seconds(started + DAY + HOUR),
    });
    assert.deepEqual((await describeSettings()).MinimumThroughputBillingCommitment, disabled);
  });

  it('validates the status against the model', async () => {
    expectError(
      await update('PAUSED'),
      'ValidationException',
      "1 validation error detected: Value 'PAUSED' at 'minimumThroughputBillingCommitment.status' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]",
      assert.deepEqual,
    );
    expectError(
      await server.call('UpdateAccountSettings', {}),
      'ValidationException',
      "1 validation error detected: Value null at 'minimumThroughputBillingCommitment' failed to satisfy constraint: Member must not be null",
      assert.deepEqual,
    );
  });
});

describe('UpdateStreamWarmThroughput conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'warm', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    await server.call('CreateStream', { StreamName: 'cold', ShardCount: 1 });
  });
  after(() => server.close());

  const summary = async (name: string) => (await server.call('DescribeStreamSummary', { StreamName: name })).body.StreamDescriptionSummary;

  it('needs the account\'s MinimumThroughputBillingCommitment first', async () => {
    expectError(
      await server.call('UpdateStreamWarmThroughput', { StreamARN: arn('warm'), WarmThroughputMiBps: 100 }),
      'ValidationException',
      'Request is invalid. Warm throughput requires MinimumThroughputBillingCommitment to be enabled for the account.',
      assert.deepEqual,
    );
    assert.equal((await summary('warm')).WarmThroughput, undefined);
  });

  it('answers {StreamARN, StreamName, WarmThroughput} and DescribeStreamSummary shows it', async () => {
    assert.equal((await server.call('UpdateAccountSettings', { MinimumThroughputBillingCommitment: { Status: 'ENABLED' } })).status, 200);
    const res = await server.call('UpdateStreamWarmThroughput', { StreamARN: arn('warm'), WarmThroughputMiBps: 100 });
    assert.deepEqual(res, {
      status: 200,
      body: { StreamARN: arn('warm'), StreamName: 'warm', WarmThroughput: { TargetMiBps: 100, CurrentMiBps: 100 } },
    });
    assert.deepEqual((await summary('warm')).WarmThroughput, { TargetMiBps: 100, CurrentMiBps: 100 });
    const byName = await server.call('UpdateStreamWarmThroughput', { StreamName: 'warm', WarmThroughputMiBps: 50 });
    assert.deepEqual(byName.body, { StreamARN: arn('warm'), StreamName: 'warm', WarmThroughput: { TargetMiBps: 50, CurrentMiBps: 50 } });
    assert.deepEqual((await summary('warm')).WarmThroughput, { TargetMiBps: 50, CurrentMiBps: 50 });
  });

  const refusals: Array<{ name: string; input: Record<string, unknown>; type: string; message: string }> = [
    {
      name: 'a provisioned stream',
      input: { StreamARN: arn('cold'), WarmThroughputMiBps: 10 },
      type: 'ValidationException',
      message: `Request is invalid. Stream cold under account ${account} is in Provisioned mode.`,
    },
    {
      name: 'more than 10 GiB/s',
      input: { StreamARN: arn('warm'), WarmThroughputMiBps: 10241 },
      type: 'LimitExceededException',
      message: 'WarmThroughputMiBps 10241 exceeds the limit of 10240 MiBps.',
    },
    {
      name: 'a negative value (the model range)',
      input: { StreamARN: arn('warm'), WarmThroughputMiBps: -1 },
      type: 'ValidationException',
      message: "1 validation error detected: Value '-1' at 'warmThroughputMiBps' failed to satisfy constraint: Member must have value greater than or equal to 0",
    },
    {
      name: 'a missing value',
      input: { StreamARN: arn('warm') },
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'warmThroughputMiBps' failed to satisfy constraint: Member must not be null",
    },
    {
      name: 'an unknown stream',
      input: { StreamARN: arn('absent'), WarmThroughputMiBps: 10 },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
  ];
  for (const { name, input, type, message } of refusals) {
    it(`refuses ${name}`, async () => {
      expectError(await server.call('UpdateStreamWarmThroughput', input), type, message, assert.deepEqual);
    });
  }

  it('takes a warm throughput with UpdateStreamMode to ON_DEMAND', async () => {
    assert.equal((await summary('cold')).WarmThroughput, undefined);
    const res = await server.call('UpdateStreamMode', { StreamARN: arn('cold'), StreamModeDetails: { StreamMode: 'ON_DEMAND' }, WarmThroughputMiBps: 20 });
    assert.deepEqual(res, { status: 200, body: undefined });
    const after = await summary('cold');
    assert.deepEqual([after.StreamModeDetails, after.WarmThroughput], [{ StreamMode: 'ON_DEMAND' }, { TargetMiBps: 20, CurrentMiBps: 20 }]);
  });

  it('drops the warm throughput when the stream goes back to PROVISIONED', async () => {
    assert.equal((await server.call('UpdateStreamMode', { StreamARN: arn('cold'), StreamModeDetails: { StreamMode: 'PROVISIONED' } })).status, 200);
    assert.equal((await summary('cold')).WarmThroughput, undefined);
  });
});
