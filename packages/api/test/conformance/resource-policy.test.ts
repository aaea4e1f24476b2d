import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, startConformanceServer, type ConformanceServer } from './conformance-server.js';

const account = '123456789012';
const arn = (name: string) => `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;

const policy = (action: string | string[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'reader',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: action,
        Resource: arn('guarded'),
      },
    ],
  });

describe('PutResourcePolicy, GetResourcePolicy and DeleteResourcePolicy conformance', () => {
  let server: ConformanceServer;
  before(async () => {
    server = await startConformanceServer();
    await server.call('CreateStream', { StreamName: 'guarded', ShardCount: 1 });
  });
  after(() => server.close());

  const get = () => server.call('GetResourcePolicy', { ResourceARN: arn('guarded') });

  it('answers an empty policy document for a stream without one', async () => {
    assert.deepEqual(await get(), { status: 200, body: { Policy: '{}' } });
  });

  it('puts, reads back verbatim, overwrites and deletes a policy', async () => {
    const first = policy('kinesis:GetRecords');
    assert.deepEqual(await server.call('PutResourcePolicy', { ResourceARN: arn('guarded'), Policy: first }), { status: 200, body: undefined });
    assert.deepEqual(await get(), { status: 200, body: { Policy: first } });

    const second = policy(['kinesis:GetRecords', 'kinesis:GetShardIterator']);
    assert.equal((await server.call('PutResourcePolicy', { ResourceARN: arn('guarded'), Policy: second })).status, 200);
    assert.deepEqual((await get()).body, { Policy: second });

    assert.deepEqual(await server.call('DeleteResourcePolicy', { ResourceARN: arn('guarded') }), { status: 200, body: undefined });
    assert.deepEqual(await get(), { status: 200, body: { Policy: '{}' } });
  });

  it('deletes the policy with its stream', async () => {
    await server.call('CreateStream', { StreamName: 'short-lived', ShardCount: 1 });
    await server.call('PutResourcePolicy', { ResourceARN: arn('short-lived'), Policy: policy('kinesis:PutRecord') });
    await server.call('DeleteStream', { StreamName: 'short-lived' });
    await server.call('CreateStream', { StreamName: 'short-lived', ShardCount: 1 });
    assert.deepEqual((await server.call('GetResourcePolicy', { ResourceARN: arn('short-lived') })).body, { Policy: '{}' });
  });

  const refusals: Array<{ name: string; operation: string; input: Record<string, unknown>; type: string; message: string }> = [
    {
      name: 'deleting a policy that is not there',
      operation: 'DeleteResourcePolicy',
      input: { ResourceARN: arn('guarded') },
      type: 'ResourceNotFoundException',
      message: `No resource policy found for resource ARN ${arn('guarded')}`,
    },
    {
      name: 'a policy that is not JSON',
      operation: 'PutResourcePolicy',
      input: { ResourceARN: arn('guarded'), Policy: '{"Statement": [' },
      type: 'InvalidArgumentException',
      message: 'Invalid policy document.',
    },
    {
      name: 'a JSON policy without a Statement',
      operation: 'PutResourcePolicy',
      input: { ResourceARN: arn('guarded'), Policy: '{"Version":"2012-10-17"}' },
      type: 'InvalidArgumentException',
      message: 'Invalid policy document.',
    },
    {
      name: 'a resource policy without a Principal (IAM requires one in resource-based statements)',
      operation: 'PutResourcePolicy',
      input: { ResourceARN: arn('guarded'), Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kinesis:GetRecords', Resource: '*' }] }) },
      type: 'InvalidArgumentException',
      message: 'Invalid policy document.',
    },
    {
      name: 'a statement whose Effect is neither Allow nor Deny',
      operation: 'PutResourcePolicy',
      input: {
        ResourceARN: arn('guarded'),
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Principal: '*', Action: 'kinesis:GetRecords', Resource: '*' }] }),
      },
      type: 'InvalidArgumentException',
      message: 'Invalid policy document.',
    },
    {
      name: 'a JSON array as policy',
      operation: 'PutResourcePolicy',
      input: { ResourceARN: arn('guarded'), Policy: '[]' },
      type: 'InvalidArgumentException',
      message: 'Invalid policy document.',
    },
    {
      name: 'a missing Policy',
      operation: 'PutResourcePolicy',
      input: { ResourceARN: arn('guarded') },
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not be null",
    },
    {
      name: 'Get on an unknown stream',
      operation: 'GetResourcePolicy',
      input: { ResourceARN: arn('absent') },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'Put on an unknown stream',
      operation: 'PutResourcePolicy',
      input: { ResourceARN: arn('absent'), Policy: policy('kinesis:GetRecords') },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'Delete on an unknown stream',
      operation: 'DeleteResourcePolicy',
      input: { ResourceARN: arn('absent') },
      type: 'ResourceNotFoundException',
      message: `Stream absent under account ${account} not found.`,
    },
    {
      name: 'a stream ARN of another account',
      operation: 'GetResourcePolicy',
      input: { ResourceARN: 'arn:aws:kinesis:us-east-1:999999999999:stream/guarded' },
      type: 'ResourceNotFoundException',
      message: 'Stream guarded under account 999999999999 not found.',
    },
    {
      name: 'the ARN of a consumer the stream does not have',
      operation: 'GetResourcePolicy',
      input: { ResourceARN: `${arn('guarded')}/consumer/reader:1700000000` },
      type: 'ResourceNotFoundException',
      message: `Consumer reader under stream guarded and account ${account} not found.`,
    },
    {
      name: 'a ResourceARN that is not a Kinesis ARN (the model pattern)',
      operation: 'GetResourcePolicy',
      input: { ResourceARN: 'arn:aws:sqs:us-east-1:123456789012:queue' },
      type: 'ValidationException',
      message:
        "1 validation error detected: Value 'arn:aws:sqs:us-east-1:123456789012:queue' at 'resourceARN' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+',
    },
  ];
  for (const { name, operation, input, type, message } of refusals) {
    it(`refuses ${name}`, async () => {
      expectError(await server.call(operation, input), type, message, assert.deepEqual);
      assert.deepEqual((await get()).body, { Policy: '{}' }, 'nothing attached');
    });
  }
});
