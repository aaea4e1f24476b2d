import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { awsCliEnv, awsCliJson, awsCliVersion, startRiffle, type RiffleProcess } from '@riffle/testkit';


describe('AWS CLI v2 running the seed workflow verbatim', () => {
  let riffle: RiffleProcess;
  let env: NodeJS.ProcessEnv;

  const aws = (...args: string[]): Promise<any> => awsCliJson(riffle.endpoint, env, ...args);

  before(async () => {
    riffle = await startRiffle();
    env = awsCliEnv(riffle.dataDir);
  });
  after(async () => {
    await riffle.stop();
  });

  it('is the AWS CLI v2', async () => {
    assert.match(await awsCliVersion(env), /^aws-cli\/2\./);
  });

  it('create-stream, describe-stream, list-streams, put-record(s), get-shard-iterator, get-records, delete-stream', async () => {
    assert.equal(await aws('kinesis', 'create-stream', '--stream-name', 'test', '--shard-count', '1'), undefined);
    // Stream creation is asynchronous: the CLI's own waiter polls describe-stream until ACTIVE.
    await aws('kinesis', 'wait', 'stream-exists', '--stream-name', 'test');

    const described = await aws('kinesis', 'describe-stream', '--stream-name', 'test');
    assert.equal(described.StreamDescription.StreamName, 'test');
    assert.equal(described.StreamDescription.StreamStatus, 'ACTIVE');
    assert.equal(described.StreamDescription.Shards[0].ShardId, 'shardId-000000000000');

    const listed = await aws('kinesis', 'list-streams');
    assert.deepEqual(listed.StreamNames, ['test']);

    const put = await aws(
      'kinesis', 'put-record', '--stream-name', 'test', '--partition-key', 'user1', '--data', 'user signup',
      '--cli-binary-format', 'raw-in-base64-out',
    );
    assert.equal(put.ShardId, 'shardId-000000000000');
    assert.match(put.SequenceNumber, /^\d+$/);

    const records = JSON.stringify([
      { Data: Buffer.from('user logout').toString('base64'), PartitionKey: 'user1' },
      { Data: Buffer.from('user login').toString('base64'), PartitionKey: 'user2' },
    ]);
    const putMany = await aws('kinesis', 'put-records', '--stream-name', 'test', '--records', records);
    assert.equal(putMany.FailedRecordCount, 0);
    assert.equal(putMany.Records.length, 2);

    const iterator = await aws(
      'kinesis', 'get-shard-iterator', '--stream-name', 'test', '--shard-id', 'shardId-000000000000',
      '--shard-iterator-type', 'TRIM_HORIZON',
    );
    assert.equal(typeof iterator.ShardIterator, 'string');

    const got = await aws('kinesis', 'get-records', '--shard-iterator', iterator.ShardIterator);
    assert.deepEqual(
      got.Records.map((r: { Data: string }) => Buffer.from(r.Data, 'base64').toString('utf8')),
      ['user signup', 'user logout', 'user login'],
    );
    assert.equal(got.Records[0].SequenceNumber, put.SequenceNumber);
    assert.equal(typeof got.NextShardIterator, 'string');
    assert.equal(got.MillisBehindLatest, 0);

    assert.equal(await aws('kinesis', 'delete-stream', '--stream-name', 'test'), undefined);
    await aws('kinesis', 'wait', 'stream-not-exists', '--stream-name', 'test');
    assert.deepEqual((await aws('kinesis', 'list-streams')).StreamNames, []);
  });

  it('reshards and scales a stream: split-shard, merge-shards, update-shard-count, list-shards', async () => {
    await aws('kinesis', 'create-stream', '--stream-name', 'scaled', '--shard-count', '2');
    await aws('kinesis', 'wait', 'stream-exists', '--stream-name', 'scaled');
    assert.equal(
      await aws('kinesis', 'split-shard', '--stream-name', 'scaled', '--shard-to-split', 'shardId-000000000000', '--new-starting-hash-key', '85070591730234615865843651857942052864'),
      undefined,
    );
    await aws('kinesis', 'wait', 'stream-exists', '--stream-name', 'scaled');
    await aws('kinesis', 'merge-shards', '--stream-name', 'scaled', '--shard-to-merge', 'shardId-000000000003', '--adjacent-shard-to-merge', 'shardId-000000000001');
    await aws('kinesis', 'wait', 'stream-exists', '--stream-name', 'scaled');
    const scaled = await aws('kinesis', 'update-shard-count', '--stream-name', 'scaled', '--target-shard-count', '4', '--scaling-type', 'UNIFORM_SCALING');
    assert.deepEqual([scaled.CurrentShardCount, scaled.TargetShardCount], [2, 4]);
    await aws('kinesis', 'wait', 'stream-exists', '--stream-name', 'scaled');
    const open = await aws('kinesis', 'list-shards', '--stream-name', 'scaled', '--shard-filter', 'Type=AT_LATEST');
    assert.equal(open.Shards.length, 4);
    const merged = (await aws('kinesis', 'list-shards', '--stream-name', 'scaled')).Shards.find((shard: any) => shard.ShardId === 'shardId-000000000004');
    assert.deepEqual([merged.ParentShardId, merged.AdjacentParentShardId], ['shardId-000000000003', 'shardId-000000000001']);
    await assert.rejects(
      aws('kinesis', 'merge-shards', '--stream-name', 'scaled', '--shard-to-merge', 'shardId-000000000000', '--adjacent-shard-to-merge', 'shardId-000000000002'),
      (error: { stderr: string }) => /InvalidArgumentException/.test(error.stderr) && /has already been merged or split/.test(error.stderr),
    );
  });

  it('reports a missing stream with AWS\'s error', async () => {
    await assert.rejects(aws('kinesis', 'describe-stream', '--stream-name', 'nope'), (error: { stderr: string }) => {
      assert.match(error.stderr, /ResourceNotFoundException/);
      assert.match(error.stderr, /Stream nope under account 000000000000 not found\./);
      return true;
    });
  });
});
