import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutResourcePolicyCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { killRiffle, kinesisClient, startRiffle, type RiffleProcess } from '@riffle/testkit';

const A = '111111111111';
const B = '222222222222';
const arnOf = (account: string, stream: string) => `arn:aws:kinesis:us-east-1:${account}:stream/${stream}`;

const ALICE_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'WriteAndReadOrders',
      Effect: 'Allow',
      Action: ['kinesis:PutRecord', 'kinesis:Get*', 'kinesis:DescribeStreamSummary'],
      Resource: `arn:aws:kinesis:us-east-1:${A}:stream/orders*`,
      Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } },
    },
    { Effect: 'Allow', Action: 'kinesis:List*', Resource: '*' },
    { Effect: 'Deny', Action: 'kinesis:PutRecord', Resource: arnOf(A, 'orders-secret') },
  ],
};
const OFF_NETWORK_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'kinesis:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }],
};
const EVERYTHING = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kinesis:*', Resource: '*' }] };

const keys = {
  rootA: { accessKeyId: 'AKIAROOTA', secretAccessKey: 'root-a-secret', accountId: A },
  alice: { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret', accountId: A, userName: 'alice', policies: [ALICE_POLICY] },
  bob: { accessKeyId: 'AKIABOB', secretAccessKey: 'bob-secret', accountId: A, userName: 'bob', policies: [] },
  eve: { accessKeyId: 'AKIAEVE', secretAccessKey: 'eve-secret', accountId: A, userName: 'eve', policies: [OFF_NETWORK_POLICY] },
  carol: { accessKeyId: 'AKIACAROL', secretAccessKey: 'carol-secret', accountId: B, userName: 'carol', policies: [EVERYTHING] },
  rootB: { accessKeyId: 'AKIAROOTB', secretAccessKey: 'root-b-secret', accountId: B },
};

async function denial(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { name, message } = error as Error;
    return { name, message };
  }
  throw new Error('expected AccessDeniedException');
}

describe('authorization in strict mode', () => {
  let riffle: RiffleProcess;
  let dir: string;
  const clients: Record<keyof typeof keys, KinesisClient> = {} as never;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-authz-'));
    const file = join(dir, 'access-keys.json');
    await writeFile(file, JSON.stringify({ accessKeys: Object.values(keys) }));
    riffle = await startRiffle({ args: ['--auth', 'strict', '--access-keys', file, '--account-id', A] });
    for (const [name, key] of Object.entries(keys)) {
      clients[name as keyof typeof keys] = kinesisClient(riffle.endpoint, { credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } });
    }
    for (const stream of ['orders', 'orders-secret', 'other']) {
      await clients.rootA.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
    }
  });
  after(async () => {
    for (const client of Object.values(clients)) client.destroy();
    await riffle?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lets a user do what an identity policy allows, on the resources and under the conditions it names', async () => {
    const put = await clients.alice.send(new PutRecordCommand({ StreamName: 'orders', PartitionKey: 'k', Data: Buffer.from('by alice') }));
    assert.match(put.SequenceNumber ?? '', /^\d+$/);
    const listed = await clients.alice.send(new ListStreamsCommand({}));
    assert.deepEqual(listed.StreamNames, ['orders', 'orders-secret', 'other']);
  });

  it('refuses what no identity policy allows, in AWS words', async () => {
    assert.deepEqual(await denial(clients.alice.send(new PutRecordCommand({ StreamName: 'other', PartitionKey: 'k', Data: Buffer.from('x') }))), {
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${A}:user/alice is not authorized to perform: kinesis:PutRecord on resource: ${arnOf(A, 'other')} because no identity-based policy allows the kinesis:PutRecord action`,
    });
    const bob = await denial(clients.bob.send(new ListStreamsCommand({})));
    assert.equal(bob.name, 'AccessDeniedException');
    assert.match(bob.message, new RegExp(`^User: arn:aws:iam::${A}:user/bob is not authorized to perform: kinesis:ListStreams`));
  });

  it('lets an explicit deny win over an allow', async () => {
    assert.deepEqual(await denial(clients.alice.send(new PutRecordCommand({ StreamName: 'orders-secret', PartitionKey: 'k', Data: Buffer.from('x') }))), {
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${A}:user/alice is not authorized to perform: kinesis:PutRecord on resource: ${arnOf(A, 'orders-secret')} with an explicit deny in an identity-based policy`,
    });
  });

  it('evaluates conditions against the real request (aws:SourceIp of a loopback client)', async () => {
    const refused = await denial(clients.eve.send(new ListStreamsCommand({})));
    assert.equal(refused.name, 'AccessDeniedException');
  });

  it('keeps two accounts apart: each lists and creates only its own streams, even with the same names', async () => {
    assert.deepEqual((await clients.carol.send(new ListStreamsCommand({}))).StreamNames, []);
    await clients.carol.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 2 }));
    assert.deepEqual((await clients.rootB.send(new ListStreamsCommand({}))).StreamNames, ['orders']);
    assert.deepEqual((await clients.rootA.send(new ListStreamsCommand({}))).StreamNames, ['orders', 'orders-secret', 'other']);
    const own = await clients.carol.send(new DescribeStreamSummaryCommand({ StreamName: 'orders' }));
    assert.equal(own.StreamDescriptionSummary?.StreamARN, arnOf(B, 'orders'));
    assert.equal(own.StreamDescriptionSummary?.OpenShardCount, 2);
    const notFound = await denial(clients.carol.send(new DescribeStreamSummaryCommand({ StreamName: 'other' })));
    assert.deepEqual(notFound, { name: 'ResourceNotFoundException', message: `Stream other under account ${B} not found.` });
  });

  it('refuses another account\'s stream until its resource policy allows the caller, then allows only the shared actions', async () => {
    const ordersOfA = arnOf(A, 'orders');
    assert.deepEqual(await denial(clients.carol.send(new DescribeStreamSummaryCommand({ StreamARN: ordersOfA }))), {
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${B}:user/carol is not authorized to perform: kinesis:DescribeStreamSummary on resource: ${ordersOfA} because no resource-based policy allows the kinesis:DescribeStreamSummary action`,
    });
    await clients.rootA.send(
      new PutResourcePolicyCommand({
        ResourceARN: ordersOfA,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${B}:user/carol` },
              Action: ['kinesis:DescribeStreamSummary', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:PutRecord', 'kinesis:DeleteStream'],
              Resource: ordersOfA,
            },
          ],
        }),
      }),
    );
    const summary = await clients.carol.send(new DescribeStreamSummaryCommand({ StreamARN: ordersOfA }));
    assert.equal(summary.StreamDescriptionSummary?.StreamARN, ordersOfA);
    assert.equal(summary.StreamDescriptionSummary?.OpenShardCount, 1);

    await clients.carol.send(new PutRecordCommand({ StreamARN: ordersOfA, PartitionKey: 'k', Data: Buffer.from('from account B') }));
    const { ShardIterator } = await clients.carol.send(
      new GetShardIteratorCommand({ StreamARN: ordersOfA, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const read = await clients.carol.send(new GetRecordsCommand({ StreamARN: ordersOfA, ShardIterator }));
    assert.deepEqual(read.Records?.map((record) => Buffer.from(record.Data!).toString()), ['by alice', 'from account B']);

    // DeleteStream is not an action AWS shares across accounts, whatever the policy says.
    const deleting = await denial(clients.carol.send(new DeleteStreamCommand({ StreamARN: ordersOfA })));
    assert.equal(deleting.name, 'AccessDeniedException');
    // The policy names carol, not her account's root.
    assert.equal((await denial(clients.rootB.send(new DescribeStreamSummaryCommand({ StreamARN: ordersOfA })))).name, 'AccessDeniedException');
    // Account B's same-named stream is untouched.
    const ownRead = await clients.carol.send(new DescribeStreamSummaryCommand({ StreamName: 'orders' }));
    assert.equal(ownRead.StreamDescriptionSummary?.StreamARN, arnOf(B, 'orders'));
  });
  it("denies even the account's root what its own stream's resource policy explicitly denies", async () => {
    await clients.rootA.send(new PutRecordCommand({ StreamName: 'other', PartitionKey: 'k', Data: Buffer.from('before the policy') }));
    await clients.rootA.send(
      new PutResourcePolicyCommand({
        ResourceARN: arnOf(A, 'other'),
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kinesis:PutRecord', Resource: arnOf(A, 'other') }],
        }),
      }),
    );
    assert.deepEqual(await denial(clients.rootA.send(new PutRecordCommand({ StreamName: 'other', PartitionKey: 'k', Data: Buffer.from('x') }))), {
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${A}:root is not authorized to perform: kinesis:PutRecord on resource: ${arnOf(A, 'other')} with an explicit deny in a resource-based policy`,
    });
    await clients.rootA.send(new PutRecordCommand({ StreamName: 'orders', PartitionKey: 'k', Data: Buffer.from('still allowed elsewhere') }));
  });
});

describe('an account of its own on disk', () => {
  it('keeps an account\'s acknowledged records under accounts/<id>/ through kill -9, apart from the primary account', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'riffle-accounts-'));
    const dataDir = join(dir, 'data');
    const env = { RIFFLE_ACCESS_KEYS: `${keys.rootA.accessKeyId}:${keys.rootA.secretAccessKey}:${A},${keys.rootB.accessKeyId}:${keys.rootB.secretAccessKey}:${B}` };
    const args = ['--auth', 'strict', '--account-id', A];
    const clientsOf = (endpoint: string) => ({
      a: kinesisClient(endpoint, { credentials: keys.rootA }),
      b: kinesisClient(endpoint, { credentials: keys.rootB }),
    });
    let riffle = await startRiffle({ args, env, dataDir });
    let clients = clientsOf(riffle.endpoint);
    try {
      await clients.b.send(new CreateStreamCommand({ StreamName: 'ledger', ShardCount: 1 }));
      const put = await clients.b.send(new PutRecordCommand({ StreamName: 'ledger', PartitionKey: 'k', Data: Buffer.from('kept by B') }));
      await killRiffle(riffle);
      clients.a.destroy();
      clients.b.destroy();

      riffle = await startRiffle({ args, env, dataDir });
      clients = clientsOf(riffle.endpoint);
      assert.deepEqual((await clients.a.send(new ListStreamsCommand({}))).StreamNames, []);
      const { ShardIterator } = await clients.b.send(
        new GetShardIteratorCommand({ StreamName: 'ledger', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
      );
      const read = await clients.b.send(new GetRecordsCommand({ ShardIterator }));
      assert.deepEqual(read.Records?.map((record) => [record.SequenceNumber, Buffer.from(record.Data!).toString()]), [[put.SequenceNumber, 'kept by B']]);
      assert.ok(existsSync(join(dataDir, 'accounts', B, 'streams')), 'account B has a store of its own');
    } finally {
      clients.a.destroy();
      clients.b.destroy();
      await riffle.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
