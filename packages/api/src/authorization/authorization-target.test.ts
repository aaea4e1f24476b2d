import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kinesisOperations, type KinesisOperationName } from '../generated/kinesis/operations.js';
import { authorizationTarget, crossAccountActions, type KinesisOperationInputs, type TargetContext } from './authorization-target.js';

const me = '123456789012';
const them = '210987654321';
const context: TargetContext = { region: 'us-east-1', callerAccount: me };
const mine = `arn:aws:kinesis:us-east-1:${me}:stream/orders`;
const theirs = `arn:aws:kinesis:us-east-1:${them}:stream/shared`;
const theirConsumer = `${theirs}/consumer/app:1700000000`;

const target = <O extends KinesisOperationName>(operation: O, input: KinesisOperationInputs[O], ctx = context) => authorizationTarget(operation, input, ctx);
const checksOf = <O extends KinesisOperationName>(operation: O, input: KinesisOperationInputs[O], ctx = context) =>
  target(operation, input, ctx).checks.map(({ action, resource, resourceType, resourceAccount }) => [action, resource, resourceType, resourceAccount]);

describe('authorizationTarget', () => {
  it('names the action kinesis:<Operation> and builds the stream ARN from a name in the caller’s account', () => {
    assert.deepEqual(checksOf('PutRecord', { StreamName: 'orders', Data: new Uint8Array(), PartitionKey: 'k' }), [['kinesis:PutRecord', mine, 'stream', me]]);
    assert.deepEqual(checksOf('DescribeStreamSummary', { StreamName: 'orders' }, { ...context, partition: 'aws-cn', region: 'cn-north-1' }), [
      ['kinesis:DescribeStreamSummary', `arn:aws-cn:kinesis:cn-north-1:${me}:stream/orders`, 'stream', me],
    ]);
  });

  it('takes a StreamARN as given, with the account it names', () => {
    assert.deepEqual(checksOf('GetShardIterator', { StreamARN: theirs, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }), [
      ['kinesis:GetShardIterator', theirs, 'stream', them],
    ]);
  });

  it('finds GetRecords’ stream in its StreamARN or else in its shard iterator', () => {
    assert.deepEqual(checksOf('GetRecords', { ShardIterator: 'it', StreamARN: theirs }), [['kinesis:GetRecords', theirs, 'stream', them]]);
    const withIterator = { ...context, streamArnOfShardIterator: (iterator: string) => (iterator === 'it' ? mine : undefined) };
    assert.deepEqual(checksOf('GetRecords', { ShardIterator: 'it' }, withIterator), [['kinesis:GetRecords', mine, 'stream', me]]);
    const unknown = target('GetRecords', { ShardIterator: 'other' }, withIterator);
    assert.equal(unknown.determined, false);
    assert.deepEqual(unknown.checks, []);
  });

  it('finds ListShards’ stream in its NextToken when it names none', () => {
    const withToken = { ...context, streamNameOfNextToken: () => 'orders' };
    assert.deepEqual(checksOf('ListShards', { NextToken: 'token' }, withToken), [['kinesis:ListShards', mine, 'stream', me]]);
    assert.equal(target('ListShards', { NextToken: 'token' }).determined, false);
  });

  it('authorizes consumer operations on the consumer: its ARN, or StreamARN/consumer/name without a timestamp', () => {
    assert.deepEqual(checksOf('SubscribeToShard', { ConsumerARN: theirConsumer, ShardId: 's', StartingPosition: { Type: 'LATEST' } }), [
      ['kinesis:SubscribeToShard', theirConsumer, 'consumer', them],
    ]);
    assert.deepEqual(checksOf('DescribeStreamConsumer', { StreamARN: mine, ConsumerName: 'app' }), [
      ['kinesis:DescribeStreamConsumer', `${mine}/consumer/app`, 'consumer', me],
    ]);
    assert.deepEqual(checksOf('DeregisterStreamConsumer', { ConsumerARN: theirConsumer }), [['kinesis:DeregisterStreamConsumer', theirConsumer, 'consumer', them]]);
    assert.equal(target('DescribeStreamConsumer', { ConsumerName: 'app' }).determined, false);
  });

  it('authorizes RegisterStreamConsumer on the stream, and tagging the new consumer when Tags are given', () => {
    assert.deepEqual(checksOf('RegisterStreamConsumer', { StreamARN: mine, ConsumerName: 'app' }), [['kinesis:RegisterStreamConsumer', mine, 'stream', me]]);
    const tagged = target('RegisterStreamConsumer', { StreamARN: mine, ConsumerName: 'app', Tags: { team: 'data' } });
    assert.deepEqual(tagged.checks.map((c) => [c.action, c.resource]), [
      ['kinesis:RegisterStreamConsumer', mine],
      ['kinesis:TagResource', `${mine}/consumer/app`],
    ]);
    assert.deepEqual(tagged.requestTags, { team: 'data' });
    assert.deepEqual(tagged.tagKeys, ['team']);
  });

  it('also needs AddTagsToStream for CreateStream with Tags', () => {
    assert.deepEqual(checksOf('CreateStream', { StreamName: 'orders', Tags: { env: 'prod' } }), [
      ['kinesis:CreateStream', mine, 'stream', me],
      ['kinesis:AddTagsToStream', mine, 'stream', me],
    ]);
    assert.deepEqual(checksOf('CreateStream', { StreamName: 'orders', Tags: {} }), [['kinesis:CreateStream', mine, 'stream', me]]);
  });

  it('uses `*` for the operations without a resource', () => {
    for (const operation of ['ListStreams', 'DescribeLimits', 'DescribeAccountSettings', 'ListChannels'] as const) {
      assert.deepEqual(checksOf(operation, {}), [[`kinesis:${operation}`, '*', 'none', me]]);
    }
    assert.deepEqual(checksOf('UpdateAccountSettings', { MinimumThroughputBillingCommitment: { Status: 'DISABLED' } } as KinesisOperationInputs['UpdateAccountSettings']), [
      ['kinesis:UpdateAccountSettings', '*', 'none', me],
    ]);
  });

  it('reads ResourceARN as a stream, a consumer or a channel', () => {
    assert.deepEqual(checksOf('PutResourcePolicy', { ResourceARN: theirConsumer, Policy: '{}' }), [['kinesis:PutResourcePolicy', theirConsumer, 'consumer', them]]);
    assert.deepEqual(checksOf('GetResourcePolicy', { ResourceARN: mine }), [['kinesis:GetResourcePolicy', mine, 'stream', me]]);
    const channel = `arn:aws:kinesis:us-east-1:${me}:channel/ch-1`;
    assert.deepEqual(checksOf('ListTagsForResource', { ResourceARN: channel }), [['kinesis:ListTagsForResource', channel, 'channel', me]]);
    const untag = target('UntagResource', { ResourceARN: mine, TagKeys: ['a', 'b'] });
    assert.deepEqual(untag.tagKeys, ['a', 'b']);
    assert.equal(untag.requestTags, undefined);
  });

  it('checks the KMS key too for StartStreamEncryption and StopStreamEncryption', () => {
    assert.deepEqual(checksOf('StartStreamEncryption', { StreamName: 'orders', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }), [
      ['kinesis:StartStreamEncryption', mine, 'stream', me],
      ['kinesis:StartStreamEncryption', `arn:aws:kms:us-east-1:${me}:alias/aws/kinesis`, 'kmsKey', me],
    ]);
    const keyArn = `arn:aws:kms:us-east-1:${them}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    assert.deepEqual(checksOf('StopStreamEncryption', { StreamName: 'orders', EncryptionType: 'KMS', KeyId: keyArn })[1], ['kinesis:StopStreamEncryption', keyArn, 'kmsKey', them]);
    assert.deepEqual(checksOf('StartStreamEncryption', { StreamName: 'orders', EncryptionType: 'KMS', KeyId: 'abcd' })[1]![1], `arn:aws:kms:us-east-1:${me}:key/abcd`);
  });

  it('authorizes CreateChannel on the caller’s channels, the streams it reads and the role it passes', () => {
    const role = `arn:aws:iam::${me}:role/delivery`;
    const checks = checksOf('CreateChannel', {
      ChannelName: 'c',
      ServiceExecutionRoleARN: role,
      StreamConfigurationList: [{ StreamARN: mine, RecordConfiguration: { RecordFormatType: 'JSON' } }],
      Tags: { a: 'b' },
    } as KinesisOperationInputs['CreateChannel']);
    const anyChannel = `arn:aws:kinesis:us-east-1:${me}:channel/*`;
    assert.deepEqual(checks, [
      ['kinesis:CreateChannel', anyChannel, 'channel', me],
      ['kinesis:AssociateStreamsWithChannel', anyChannel, 'channel', me],
      ['kinesis:AssociateStreamsWithChannel', mine, 'stream', me],
      ['kinesis:TagResource', anyChannel, 'channel', me],
      ['iam:PassRole', role, 'iamRole', me],
    ]);
    const channel = `arn:aws:kinesis:us-east-1:${me}:channel/ch-1`;
    assert.deepEqual(checksOf('DescribeChannel', { ChannelARN: channel }), [['kinesis:DescribeChannel', channel, 'channel', me]]);
  });

  it('has a rule for every operation of the model, each naming a resource for a plausible input', () => {
    const sample = { StreamName: 'orders', StreamARN: mine, ConsumerName: 'app', ConsumerARN: `${mine}/consumer/app:1`, ResourceARN: mine, ChannelARN: `arn:aws:kinesis:us-east-1:${me}:channel/x`, ShardIterator: 'i', KeyId: 'k', ServiceExecutionRoleARN: 'arn:aws:iam::123456789012:role/r', StreamConfigurationList: [] };
    for (const operation of Object.keys(kinesisOperations) as KinesisOperationName[]) {
      const result = authorizationTarget(operation, sample as never, context);
      assert.equal(result.action, `kinesis:${operation}`);
      assert.equal(result.determined, true, operation);
      assert.ok(result.checks.length >= 1, operation);
      assert.equal(result.checks[0]!.action, `kinesis:${operation}`);
    }
  });
});

describe('cross-account actions', () => {
  it('shares the data-plane and describe actions of streams and consumers, nothing that changes or governs them', () => {
    for (const action of ['GetRecords', 'GetShardIterator', 'PutRecord', 'PutRecords', 'ListShards', 'DescribeStreamSummary', 'DescribeStream', 'SubscribeToShard', 'DescribeStreamConsumer']) {
      assert.ok(crossAccountActions.has(`kinesis:${action}`), action);
    }
    for (const action of ['DeleteStream', 'PutResourcePolicy', 'GetResourcePolicy', 'TagResource', 'UpdateShardCount', 'ListStreams', 'RegisterStreamConsumer']) {
      assert.equal(crossAccountActions.has(`kinesis:${action}`), false, action);
    }
  });

  it('marks each target, and refuses DescribeStreamConsumer across accounts unless it names the ConsumerARN', () => {
    assert.equal(target('PutRecords', { StreamARN: theirs, Records: [] }).crossAccount, true);
    assert.equal(target('DeleteStream', { StreamARN: theirs }).crossAccount, false);
    assert.equal(target('DescribeStreamConsumer', { ConsumerARN: theirConsumer }).crossAccount, true);
    assert.equal(target('DescribeStreamConsumer', { StreamARN: theirs, ConsumerName: 'app' }).crossAccount, false);
  });
});
