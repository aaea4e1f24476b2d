import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rawSubscribeToShard, type RawSubscription } from '@riffle/testkit';
import { decodeEventStreamMessage } from '@riffle/wire';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

// Enhanced fan-out consumers and SubscribeToShard's answers before the 200: exact status, __type and message.
// Texts marked [V] are AWS's own (sources in packages/api/src/errors/sources/enhanced-fan-out.md); the others are Riffle's in AWS's
// grammar, pinned here so that they change only on purpose.

const account = '123456789012';
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;
const SHARD = 'shardId-000000000000';
/** Bound on frames read from one raw subscription. */
const MAX_FRAMES = 20;

/** The creation second an ARN carries. */
const secondsOf = (consumerArn: string) => Number(consumerArn.slice(consumerArn.lastIndexOf(':') + 1));

async function register(server: ConformanceServer, stream: string, name: string, extra: Record<string, unknown> = {}): Promise<any> {
  const result = await server.call('RegisterStreamConsumer', { StreamARN: streamArn(stream), ConsumerName: name, ...extra });
  assert.equal(result.status, 200, JSON.stringify(result.body));
  return result.body.Consumer;
}

function frameOf(bytes: Buffer): { headers: Record<string, string>; payload: any } {
  const decoded = decodeEventStreamMessage(bytes)!;
  const headers = Object.fromEntries(Object.entries(decoded.headers).map(([name, header]) => [name, String(header.value)]));
  return { headers, payload: JSON.parse(decoded.payload.toString('utf8')) };
}

describe('RegisterStreamConsumer, DescribeStreamConsumer, ListStreamConsumers, DeregisterStreamConsumer conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'fan', ShardCount: 1 });
  });
  after(() => server.close());

  it('registers a consumer: its ARN names the stream, the consumer and its creation second', async () => {
    const before = Math.floor(server.clock.now() / 1000);
    const consumer = await register(server, 'fan', 'reader');
    assert.deepEqual(Object.keys(consumer).sort(), ['ConsumerARN', 'ConsumerCreationTimestamp', 'ConsumerName', 'ConsumerStatus']);
    assert.equal(consumer.ConsumerName, 'reader');
    assert.equal(consumer.ConsumerARN, `${streamArn('fan')}/consumer/reader:${before}`);
    assert.equal(consumer.ConsumerStatus, 'ACTIVE', 'ACTIVE at once when the create delay is 0');
  });

  it('answers ConsumerCreationTimestamp in whole epoch seconds, the second the ARN carries', async () => {
    // aws-cli examples and the Lambda guide: ARN suffix :1572383852 with "ConsumerCreationTimestamp": 1572383852.0.
    const consumer = await register(server, 'fan', 'stamped');
    assert.equal(consumer.ConsumerCreationTimestamp, secondsOf(consumer.ConsumerARN));
    const described = (await server.call('DescribeStreamConsumer', { ConsumerARN: consumer.ConsumerARN })).body.ConsumerDescription;
    assert.equal(described.ConsumerCreationTimestamp, secondsOf(consumer.ConsumerARN));
    await server.call('DeregisterStreamConsumer', { ConsumerARN: consumer.ConsumerARN });
  });

  it('describes a consumer by ARN, by StreamARN and ConsumerName, and by all three when they agree', async () => {
    const arn = (await server.call('ListStreamConsumers', { StreamARN: streamArn('fan') })).body.Consumers[0].ConsumerARN;
    const byArn = await server.call('DescribeStreamConsumer', { ConsumerARN: arn });
    assert.equal(byArn.status, 200);
    const description = byArn.body.ConsumerDescription;
    assert.deepEqual(
      { ...description, ConsumerCreationTimestamp: undefined },
      { ConsumerName: 'reader', ConsumerARN: arn, ConsumerStatus: 'ACTIVE', ConsumerCreationTimestamp: undefined, StreamARN: streamArn('fan') },
    );
    assert.equal(typeof description.ConsumerCreationTimestamp, 'number');
    const byName = await server.call('DescribeStreamConsumer', { StreamARN: streamArn('fan'), ConsumerName: 'reader' });
    assert.deepEqual(byName, byArn);
    const byAll = await server.call('DescribeStreamConsumer', { StreamARN: streamArn('fan'), ConsumerName: 'reader', ConsumerARN: arn });
    assert.deepEqual(byAll, byArn);
  });

  it('counts consumers in DescribeStreamSummary', async () => {
    await server.call('CreateStream', { StreamName: 'counted', ShardCount: 1 });
    const count = async () => (await server.call('DescribeStreamSummary', { StreamName: 'counted' })).body.StreamDescriptionSummary.ConsumerCount;
    assert.equal(await count(), 0);
    await register(server, 'counted', 'one');
    const two = await register(server, 'counted', 'two');
    assert.equal(await count(), 2);
    await server.call('DeregisterStreamConsumer', { ConsumerARN: two.ConsumerARN });
    assert.equal(await count(), 1);
  });

  it('pages ListStreamConsumers with MaxResults and NextToken, in registration order', async () => {
    await server.call('CreateStream', { StreamName: 'paged', ShardCount: 1 });
    const names = ['e', 'a', 'd', 'b', 'c'];
    for (const name of names) await register(server, 'paged', name);
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await server.call('ListStreamConsumers', { StreamARN: streamArn('paged'), MaxResults: 2, ...(token ? { NextToken: token } : {}) });
      assert.equal(result.status, 200);
      pageSizes.push(result.body.Consumers.length);
      seen.push(...result.body.Consumers.map((consumer: any) => consumer.ConsumerName));
      for (const consumer of result.body.Consumers) {
        assert.deepEqual(Object.keys(consumer).sort(), ['ConsumerARN', 'ConsumerCreationTimestamp', 'ConsumerName', 'ConsumerStatus']);
      }
      token = result.body.NextToken;
      if (token === undefined) break;
    }
    assert.deepEqual(seen, names);
    assert.deepEqual(pageSizes, [2, 2, 1]);
    const all = await server.call('ListStreamConsumers', { StreamARN: streamArn('paged') });
    assert.deepEqual(all.body.Consumers.map((consumer: any) => consumer.ConsumerName), names);
    assert.equal(all.body.NextToken, undefined, 'no NextToken on the last page');
  });

  it('refuses a ListStreamConsumers NextToken after 300 s, a malformed one, and one of another stream', async () => {
    const token = (await server.call('ListStreamConsumers', { StreamARN: streamArn('paged'), MaxResults: 1 })).body.NextToken;
    expectError(
      await server.call('ListStreamConsumers', { StreamARN: streamArn('fan'), NextToken: token }),
      'InvalidArgumentException',
      'Invalid NextToken.',
      assert.deepEqual,
    );
    expectError(
      await server.call('ListStreamConsumers', { StreamARN: streamArn('paged'), NextToken: 'not-a-token' }),
      'InvalidArgumentException',
      'Invalid NextToken.',
      assert.deepEqual,
    );
    await server.clock.advance(299_000);
    assert.equal((await server.call('ListStreamConsumers', { StreamARN: streamArn('paged'), NextToken: token })).status, 200, 'fresh at 299 s');
    await server.clock.advance(1_001);
    expectError(
      await server.call('ListStreamConsumers', { StreamARN: streamArn('paged'), NextToken: token }),
      'ExpiredNextTokenException',
      'The NextToken has expired.',
      assert.deepEqual,
    );
  });

  it('keeps tags and resource policies on a consumer ARN apart from the stream’s', async () => {
    await server.call('CreateStream', { StreamName: 'tagged', ShardCount: 1 });
    const consumer = await register(server, 'tagged', 'labelled', { Tags: { team: 'blue' } });
    const arn = consumer.ConsumerARN;
    const tags = async (resource: string) => (await server.call('ListTagsForResource', { ResourceARN: resource })).body;
    assert.deepEqual(await tags(arn), { Tags: [{ Key: 'team', Value: 'blue' }] }, 'tags given at registration');
    assert.deepEqual(await server.call('TagResource', { ResourceARN: arn, Tags: { env: 'test', team: 'red' } }), { status: 200, body: undefined });
    assert.deepEqual(await tags(arn), { Tags: [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'red' }] });
    assert.deepEqual(await tags(streamArn('tagged')), { Tags: [] }, 'the stream has none of them');
    assert.deepEqual(await server.call('UntagResource', { ResourceARN: arn, TagKeys: ['team'] }), { status: 200, body: undefined });
    assert.deepEqual(await tags(arn), { Tags: [{ Key: 'env', Value: 'test' }] });

    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kinesis:SubscribeToShard', Resource: arn }],
    });
    assert.deepEqual(await server.call('GetResourcePolicy', { ResourceARN: arn }), { status: 200, body: { Policy: '{}' } });
    assert.deepEqual(await server.call('PutResourcePolicy', { ResourceARN: arn, Policy: policy }), { status: 200, body: undefined });
    assert.deepEqual(await server.call('GetResourcePolicy', { ResourceARN: arn }), { status: 200, body: { Policy: policy } });
    assert.deepEqual(await server.call('GetResourcePolicy', { ResourceARN: streamArn('tagged') }), { status: 200, body: { Policy: '{}' } });
    assert.deepEqual(await server.call('DeleteResourcePolicy', { ResourceARN: arn }), { status: 200, body: undefined });
    expectError(
      await server.call('DeleteResourcePolicy', { ResourceARN: arn }),
      'ResourceNotFoundException',
      `No resource policy found for resource ARN ${arn}`,
      assert.deepEqual,
    );
    expectError(
      await server.call('TagResource', { ResourceARN: `${streamArn('tagged')}/consumer/nobody:1700000000`, Tags: { a: 'b' } }),
      'ResourceNotFoundException',
      `Consumer nobody under stream tagged and account ${account} not found.`,
      assert.deepEqual,
    );
  });

  it('refuses DeleteStream of a stream with consumers unless EnforceConsumerDeletion, which takes them with it', async () => {
    await server.call('CreateStream', { StreamName: 'owned', ShardCount: 1 });
    await register(server, 'owned', 'holder');
    // [V] rebuy-de/aws-nuke#497; the apostrophe is U+2019.
    expectError(
      await server.call('DeleteStream', { StreamName: 'owned' }),
      'ResourceInUseException',
      `DeleteStream can\u2019t delete ${account}:owned because there are consumers associated with this data stream. ` +
        'To delete owned anyway, set the EnforceConsumerDeletion parameter to true to force the deletion of all the consumers that are associated with it.',
      assert.deepEqual,
    );
    expectError(
      await server.call('DeleteStream', { StreamName: 'owned', EnforceConsumerDeletion: false }),
      'ResourceInUseException',
      `DeleteStream can’t delete ${account}:owned because there are consumers associated with this data stream. ` +
        'To delete owned anyway, set the EnforceConsumerDeletion parameter to true to force the deletion of all the consumers that are associated with it.',
      assert.deepEqual,
    );
    assert.deepEqual(await server.call('DeleteStream', { StreamName: 'owned', EnforceConsumerDeletion: true }), { status: 200, body: undefined });
    expectError(
      await server.call('DescribeStreamConsumer', { StreamARN: streamArn('owned'), ConsumerName: 'holder' }),
      'ResourceNotFoundException',
      `Stream owned under account ${account} not found.`,
      assert.deepEqual,
    );
    await server.call('CreateStream', { StreamName: 'owned', ShardCount: 1 });
    assert.deepEqual((await server.call('ListStreamConsumers', { StreamARN: streamArn('owned') })).body.Consumers, [], 'the new stream of that name has none');
    assert.deepEqual((await server.call('DeleteStream', { StreamName: 'owned' })).status, 200, 'no consumers: no EnforceConsumerDeletion needed');
  });

  it('deregisters by ARN and by StreamARN and ConsumerName', async () => {
    await server.call('CreateStream', { StreamName: 'leaving', ShardCount: 1 });
    const first = await register(server, 'leaving', 'first');
    await register(server, 'leaving', 'second');
    assert.deepEqual(await server.call('DeregisterStreamConsumer', { ConsumerARN: first.ConsumerARN }), { status: 200, body: undefined });
    assert.deepEqual(
      await server.call('DeregisterStreamConsumer', { StreamARN: streamArn('leaving'), ConsumerName: 'second' }),
      { status: 200, body: undefined },
    );
    assert.deepEqual((await server.call('ListStreamConsumers', { StreamARN: streamArn('leaving') })).body.Consumers, []);
    expectError(
      await server.call('DescribeStreamConsumer', { ConsumerARN: first.ConsumerARN }),
      'ResourceNotFoundException',
      `Consumer first under stream leaving and account ${account} not found.`,
      assert.deepEqual,
    );
  });

  it('refuses a name already registered, and a 21st consumer', async () => {
    await server.call('CreateStream', { StreamName: 'crowded', ShardCount: 1 });
    for (let i = 0; i < 20; i++) await register(server, 'crowded', `c${i}`);
    expectError(
      await server.call('RegisterStreamConsumer', { StreamARN: streamArn('crowded'), ConsumerName: 'c3' }),
      'ResourceInUseException',
      `Consumer c3 under stream crowded and account ${account} already exists.`,
      assert.deepEqual,
    );
    expectError(
      await server.call('RegisterStreamConsumer', { StreamARN: streamArn('crowded'), ConsumerName: 'c20' }),
      'LimitExceededException',
      `This request would exceed the limit of 20 consumers for stream crowded under account ${account}.`,
      assert.deepEqual,
    );
    assert.equal((await server.call('ListStreamConsumers', { StreamARN: streamArn('crowded') })).body.Consumers.length, 20);
    await server.call('DeregisterStreamConsumer', { StreamARN: streamArn('crowded'), ConsumerName: 'c0' });
    await register(server, 'crowded', 'c20');
  });

  const refusals: Array<{ name: string; operation: string; input: Record<string, unknown>; type: string; message: string }> = [
    {
      name: 'RegisterStreamConsumer on an unknown stream (by ARN)',
      operation: 'RegisterStreamConsumer',
      input: { StreamARN: streamArn('absent'), ConsumerName: 'reader' },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'RegisterStreamConsumer on a stream ARN of another account',
      operation: 'RegisterStreamConsumer',
      input: { StreamARN: 'arn:aws:kinesis:us-east-1:999999999999:stream/fan', ConsumerName: 'reader' },
      type: 'ResourceNotFoundException',
      message: 'Stream fan under account 999999999999 not found.',
    },
    {
      name: 'RegisterStreamConsumer without a ConsumerName',
      operation: 'RegisterStreamConsumer',
      input: { StreamARN: streamArn('fan') },
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'consumerName' failed to satisfy constraint: Member must not be null",
    },
    {
      name: 'DescribeStreamConsumer with a ConsumerARN that disagrees with ConsumerName',
      operation: 'DescribeStreamConsumer',
      input: { StreamARN: streamArn('fan'), ConsumerName: 'other', ConsumerARN: `${streamArn('fan')}/consumer/reader:1700000000` },
      type: 'InvalidArgumentException',
      message: 'ConsumerARN does not match the given StreamARN and ConsumerName.',
    },
    {
      name: 'DescribeStreamConsumer with a ConsumerARN that disagrees with StreamARN',
      operation: 'DescribeStreamConsumer',
      input: { StreamARN: streamArn('counted'), ConsumerARN: `${streamArn('fan')}/consumer/reader:1700000000` },
      type: 'InvalidArgumentException',
      message: 'ConsumerARN does not match the given StreamARN and ConsumerName.',
    },
    {
      name: 'DescribeStreamConsumer with neither a ConsumerARN nor StreamARN and ConsumerName',
      operation: 'DescribeStreamConsumer',
      input: {},
      type: 'InvalidArgumentException',
      message: 'ConsumerArn or both ConsumerName and StreamARN are required for this request.',
    },
    {
      name: 'DescribeStreamConsumer with a ConsumerName alone',
      operation: 'DescribeStreamConsumer',
      input: { ConsumerName: 'reader' },
      type: 'InvalidArgumentException',
      message: 'ConsumerArn or both ConsumerName and StreamARN are required for this request.',
    },
    {
      name: 'DeregisterStreamConsumer with neither',
      operation: 'DeregisterStreamConsumer',
      input: { StreamARN: streamArn('fan') },
      type: 'InvalidArgumentException',
      message: 'ConsumerArn or both ConsumerName and StreamARN are required for this request.',
    },
    {
      name: 'DeregisterStreamConsumer with a ConsumerARN that disagrees',
      operation: 'DeregisterStreamConsumer',
      input: { ConsumerName: 'other', ConsumerARN: `${streamArn('fan')}/consumer/reader:1700000000` },
      type: 'InvalidArgumentException',
      message: 'ConsumerARN does not match the given StreamARN and ConsumerName.',
    },
    {
      name: 'DescribeStreamConsumer of an unknown consumer by name',
      operation: 'DescribeStreamConsumer',
      input: { StreamARN: streamArn('fan'), ConsumerName: 'nobody' },
      type: 'ResourceNotFoundException',
      message: `Consumer nobody under stream fan and account ${account} not found.`,
    },
    {
      name: 'DescribeStreamConsumer of an unknown consumer by ARN',
      operation: 'DescribeStreamConsumer',
      input: { ConsumerARN: `${streamArn('fan')}/consumer/nobody:1700000000` },
      type: 'ResourceNotFoundException',
      message: `Consumer nobody under stream fan and account ${account} not found.`,
    },
    {
      name: 'DescribeStreamConsumer by an ARN naming an older registration of a consumer that exists',
      operation: 'DescribeStreamConsumer',
      input: { ConsumerARN: `${streamArn('fan')}/consumer/reader:1000000000` },
      type: 'ResourceNotFoundException',
      message: `Consumer reader under stream fan and account ${account} not found.`,
    },
    {
      name: 'DescribeStreamConsumer on an unknown stream',
      operation: 'DescribeStreamConsumer',
      input: { StreamARN: streamArn('absent'), ConsumerName: 'reader' },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'DescribeStreamConsumer by a consumer ARN of another account',
      operation: 'DescribeStreamConsumer',
      input: { ConsumerARN: 'arn:aws:kinesis:us-east-1:999999999999:stream/fan/consumer/reader:1700000000' },
      type: 'ResourceNotFoundException',
      message: 'Consumer arn:aws:kinesis:us-east-1:999999999999:stream/fan/consumer/reader:1700000000 not found.',
    },
    {
      name: 'DeregisterStreamConsumer of an unknown consumer by ARN',
      operation: 'DeregisterStreamConsumer',
      input: { ConsumerARN: `${streamArn('fan')}/consumer/nobody:1700000000` },
      type: 'ResourceNotFoundException',
      message: `Consumer nobody under stream fan and account ${account} not found.`,
    },
    {
      name: 'DeregisterStreamConsumer of an unknown consumer by name',
      operation: 'DeregisterStreamConsumer',
      input: { StreamARN: streamArn('fan'), ConsumerName: 'nobody' },
      type: 'ResourceNotFoundException',
      message: `Consumer nobody under stream fan and account ${account} not found.`,
    },
    {
      name: 'ListStreamConsumers on an unknown stream',
      operation: 'ListStreamConsumers',
      input: { StreamARN: streamArn('absent') },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'ListStreamConsumers with a StreamCreationTimestamp of another stream of that name',
      operation: 'ListStreamConsumers',
      input: { StreamARN: streamArn('fan'), StreamCreationTimestamp: 1_000_000_000 },
      type: 'ResourceNotFoundException',
      message: `Stream fan under account ${account} not found.`,
    },
    {
      name: 'ListStreamConsumers with MaxResults 0',
      operation: 'ListStreamConsumers',
      input: { StreamARN: streamArn('fan'), MaxResults: 0 },
      type: 'ValidationException',
      message: "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    },
    {
      name: 'ListStreamConsumers without a StreamARN',
      operation: 'ListStreamConsumers',
      input: {},
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'streamARN' failed to satisfy constraint: Member must not be null",
    },
  ];
  for (const { name, operation, input, type, message } of refusals) {
    it(`refuses ${name}`, async () => {
      expectError(await server.call(operation, input), type, message, assert.deepEqual);
    });
  }
});

describe('consumer lifecycle with create and delete delays', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer({ createStreamMs: 1000, deleteStreamMs: 1000 });
    await server.call('CreateStream', { StreamName: 'slow', ShardCount: 1 });
    await server.call('CreateStream', { StreamName: 'other', ShardCount: 1 });
  });
  after(() => server.close());

  it('refuses to register on a stream still CREATING', async () => {
    expectError(
      await server.call('RegisterStreamConsumer', { StreamARN: streamArn('slow'), ConsumerName: 'early' }),
      'ResourceInUseException',
      `Stream slow under account ${account} not ACTIVE, instead in state CREATING`,
      assert.deepEqual,
    );
    await server.clock.advance(1000);
  });

  it('registers CREATING, refuses SubscribeToShard with AWS’s text until ACTIVE, tags it meanwhile', async () => {
    const consumer = await register(server, 'slow', 'patient', { Tags: { phase: 'creating' } });
    assert.equal(consumer.ConsumerStatus, 'CREATING');
    const described = (await server.call('DescribeStreamConsumer', { ConsumerARN: consumer.ConsumerARN })).body.ConsumerDescription;
    assert.equal(described.ConsumerStatus, 'CREATING');
    assert.deepEqual((await server.call('ListTagsForResource', { ResourceARN: consumer.ConsumerARN })).body, {
      Tags: [{ Key: 'phase', Value: 'creating' }],
    });
    assert.equal((await server.call('TagResource', { ResourceARN: consumer.ConsumerARN, Tags: { more: 'yes' } })).status, 200);
    // [V] awslabs/kinesis-hot-shard-advisor#37; the ": " and " , " are AWS's own.
    const notActive = `Consumer patient with creation timestamp ${secondsOf(consumer.ConsumerARN)} under stream: slow , account ${account} is not in ACTIVE status.`;
    for (const ShardId of [SHARD, 'shardId-000000000009']) {
      // The consumer's state is checked before the shard (ResourceNotFoundException would make KCL drop the lease).
      expectError(
        await server.call('SubscribeToShard', { ConsumerARN: consumer.ConsumerARN, ShardId, StartingPosition: { Type: 'LATEST' } }),
        'ResourceInUseException',
        notActive,
        assert.deepEqual,
      );
    }
    await server.clock.advance(1000);
    assert.equal((await server.call('DescribeStreamConsumer', { ConsumerARN: consumer.ConsumerARN })).body.ConsumerDescription.ConsumerStatus, 'ACTIVE');
  });

  it('allows five consumers CREATING at once and refuses a sixth until one is ACTIVE', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await register(server, 'slow', `batch${i}`)).ConsumerStatus, 'CREATING');
    expectError(
      await server.call('RegisterStreamConsumer', { StreamARN: streamArn('other'), ConsumerName: 'sixth' }),
      'LimitExceededException',
      `Only 5 consumers can be in CREATING status at the same time under account ${account}.`,
      assert.deepEqual,
    );
    await server.clock.advance(1000);
    assert.equal((await register(server, 'other', 'sixth')).ConsumerStatus, 'CREATING');
    await server.clock.advance(1000);
  });

  it('shows a deregistered consumer DELETING until it is gone, and refuses to subscribe it', async () => {
    const consumer = await register(server, 'other', 'goner');
    await server.clock.advance(1000);
    assert.equal((await server.call('DeregisterStreamConsumer', { ConsumerARN: consumer.ConsumerARN })).status, 200);
    assert.equal((await server.call('DescribeStreamConsumer', { ConsumerARN: consumer.ConsumerARN })).body.ConsumerDescription.ConsumerStatus, 'DELETING');
    expectError(
      await server.call('SubscribeToShard', { ConsumerARN: consumer.ConsumerARN, ShardId: SHARD, StartingPosition: { Type: 'LATEST' } }),
      'ResourceInUseException',
      `Consumer goner with creation timestamp ${secondsOf(consumer.ConsumerARN)} under stream: other , account ${account} is not in ACTIVE status.`,
      assert.deepEqual,
    );
    // apache/flink-connector-aws PR #255: registering the name again while the old one is DELETING is ResourceInUseException.
    expectError(
      await server.call('RegisterStreamConsumer', { StreamARN: streamArn('other'), ConsumerName: 'goner' }),
      'ResourceInUseException',
      `Consumer goner under stream other and account ${account} already exists.`,
      assert.deepEqual,
    );
    await server.clock.advance(1000);
    expectError(
      await server.call('DescribeStreamConsumer', { ConsumerARN: consumer.ConsumerARN }),
      'ResourceNotFoundException',
      `Consumer goner under stream other and account ${account} not found.`,
      assert.deepEqual,
    );
    await server.clock.advance(1000);
    const again = await register(server, 'other', 'goner');
    assert.notEqual(again.ConsumerARN, consumer.ConsumerARN, 'a new registration, a new creation second');
    expectError(
      await server.call('DescribeStreamConsumer', { ConsumerARN: consumer.ConsumerARN }),
      'ResourceNotFoundException',
      `Consumer goner under stream other and account ${account} not found.`,
      assert.deepEqual,
    );
  });
});

describe('SubscribeToShard answers before the 200', () => {
  let server: ConformanceServer;
  let consumerArn: string;
  const open: RawSubscription[] = [];
  const subscribe = (input: Record<string, unknown>) => server.call('SubscribeToShard', { ConsumerARN: consumerArn, ShardId: SHARD, ...input });

  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'subs', ShardCount: 2 });
    consumerArn = (await register(server, 'subs', 'reader')).ConsumerARN;
    await server.call('PutRecord', { StreamName: 'subs', PartitionKey: 'k', Data: Buffer.from('x').toString('base64') });
  });
  after(async () => {
    for (const subscription of open) subscription.destroy();
    await server.close();
  });

  const refusals: Array<{ name: string; input: () => Record<string, unknown>; type: string; message: () => string }> = [
    {
      name: 'an unknown shard',
      input: () => ({ ShardId: 'shardId-000000000009', StartingPosition: { Type: 'LATEST' } }),
      type: 'ResourceNotFoundException',
      message: () => `Shard shardId-000000000009 in stream subs under account ${account} does not exist`,
    },
    {
      name: 'an unknown consumer',
      input: () => ({ ConsumerARN: `${streamArn('subs')}/consumer/nobody:1700000000`, StartingPosition: { Type: 'LATEST' } }),
      type: 'ResourceNotFoundException',
      message: () => `Consumer nobody under stream subs and account ${account} not found.`,
    },
    {
      name: 'a consumer ARN of another account',
      input: () => ({ ConsumerARN: 'arn:aws:kinesis:us-east-1:999999999999:stream/subs/consumer/reader:1700000000', StartingPosition: { Type: 'LATEST' } }),
      type: 'ResourceNotFoundException',
      message: () => 'Consumer arn:aws:kinesis:us-east-1:999999999999:stream/subs/consumer/reader:1700000000 not found.',
    },
    {
      name: 'AT_SEQUENCE_NUMBER without a SequenceNumber',
      input: () => ({ StartingPosition: { Type: 'AT_SEQUENCE_NUMBER' } }),
      type: 'InvalidArgumentException',
      // [V for GetShardIterator] akkadotnet/Alpakka PR #160.
      message: () =>
        'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
        '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.',
    },
    {
      name: 'AFTER_SEQUENCE_NUMBER without a SequenceNumber',
      input: () => ({ StartingPosition: { Type: 'AFTER_SEQUENCE_NUMBER' } }),
      type: 'InvalidArgumentException',
      message: () =>
        'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
        '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified AFTER_SEQUENCE_NUMBER and no StartingSequenceNumber.',
    },
    {
      name: 'TRIM_HORIZON with a SequenceNumber',
      input: () => ({ StartingPosition: { Type: 'TRIM_HORIZON', SequenceNumber: '49590338271490256608559692538361571095921575989136588898' } }),
      type: 'InvalidArgumentException',
      message: () =>
        'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
        '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified TRIM_HORIZON and also a StartingSequenceNumber.',
    },
    {
      name: 'AT_TIMESTAMP without a Timestamp',
      input: () => ({ StartingPosition: { Type: 'AT_TIMESTAMP' } }),
      type: 'InvalidArgumentException',
      message: () => 'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.',
    },
    {
      name: 'a missing StartingPosition',
      input: () => ({}),
      type: 'ValidationException',
      message: () => "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null",
    },
  ];
  for (const { name, input, type, message } of refusals) {
    it(`refuses ${name} with a 400`, async () => {
      expectError(await subscribe(input()), type, message(), assert.deepEqual);
    });
  }

  it('refuses a SequenceNumber of another shard with the GetShardIterator text', async () => {
    const put = await server.call('PutRecord', {
      StreamName: 'subs',
      PartitionKey: 'k',
      ExplicitHashKey: String(2n ** 128n - 1n),
      Data: Buffer.from('y').toString('base64'),
    });
    assert.equal(put.body.ShardId, 'shardId-000000000001');
    // [V] awslabs/amazon-kinesis-client#391 (FanOutRecordsPublisher): no full stop.
    expectError(
      await subscribe({ StartingPosition: { Type: 'AT_SEQUENCE_NUMBER', SequenceNumber: put.body.SequenceNumber } }),
      'InvalidArgumentException',
      'Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to a shard with shardId-000000000000',
      assert.deepEqual,
    );
  });

  it('refuses a second subscription within 5 s of a successful one, open or hung up, with AWS’s text; takes over after 5 s', async () => {
    const first = await rawSubscribeToShard(server.endpoint, { ConsumerARN: consumerArn, ShardId: SHARD, StartingPosition: { Type: 'TRIM_HORIZON' } });
    open.push(first);
    assert.equal(first.status, 200);
    assert.equal(first.headers['content-type'], 'application/vnd.amazon.eventstream');
    // [V] Databricks KB, awslabs/spark-sql-kinesis-connector: no full stop.
    const inUse = `Another active subscription exists for this consumer: ${account}:subs:${SHARD}:reader`;
    expectError(await subscribe({ StartingPosition: { Type: 'LATEST' } }), 'ResourceInUseException', inUse, assert.deepEqual);
    await server.clock.advance(4_999);
    expectError(await subscribe({ StartingPosition: { Type: 'LATEST' } }), 'ResourceInUseException', inUse, assert.deepEqual);

    // The same consumer on another shard, or another consumer on this shard, is not affected.
    const otherShard = await rawSubscribeToShard(server.endpoint, {
      ConsumerARN: consumerArn,
      ShardId: 'shardId-000000000001',
      StartingPosition: { Type: 'LATEST' },
    });
    open.push(otherShard);
    assert.equal(otherShard.status, 200, 'the same consumer on another shard');
    otherShard.destroy();
    const otherConsumer = (await register(server, 'subs', 'second')).ConsumerARN;
    const beside = await rawSubscribeToShard(server.endpoint, { ConsumerARN: otherConsumer, ShardId: SHARD, StartingPosition: { Type: 'LATEST' } });
    open.push(beside);
    assert.equal(beside.status, 200, 'another consumer on the same shard');
    beside.destroy();

    await server.clock.advance(1);
    const newer = await rawSubscribeToShard(server.endpoint, { ConsumerARN: consumerArn, ShardId: SHARD, StartingPosition: { Type: 'LATEST' } });
    open.push(newer);
    assert.equal(newer.status, 200, 'a call 5 s after the first takes over');
    const frames = [];
    for await (const bytes of first.messages()) {
      frames.push(frameOf(bytes));
      if (frames.length >= MAX_FRAMES) break;
    }
    assert.deepEqual(frames[0]!.headers[':event-type'], 'initial-response');
    assert.deepEqual(frames.at(-1), {
      headers: { ':message-type': 'exception', ':exception-type': 'ResourceInUseException', ':content-type': 'application/json' },
      payload: { message: inUse },
    });
    newer.destroy();
    // Within 5 s of the takeover, refused again, though the newer one has hung up.
    expectError(await subscribe({ StartingPosition: { Type: 'LATEST' } }), 'ResourceInUseException', inUse, assert.deepEqual);
  });
});
