import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validationMessage } from './request-document.js';

const a129 = 'a'.repeat(129);
const tooLongName = `${'a;'.repeat(64)}a`; // 129 characters, outside [a-zA-Z0-9_.-]+

// Expected texts from kinesalite's tests, which ran against live AWS. Where the current model differs
// (StreamName now optional because of StreamARN, ShardCount optional because of on-demand, Data up to
// 10485760, TagMap up to 200), the case says so and the model wins.
const cases: Array<{ title: string; operation: Parameters<typeof validationMessage>[0]; input: unknown; expected: string | undefined }> = [
  {
    // kinesalite test/createStream.js "no StreamName" also lists shardCount, which the current model no longer requires.
    title: 'CreateStream with no members',
    operation: 'CreateStream',
    input: {},
    expected:
      "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: Member must not be null",
  },
  {
    title: 'CreateStream with an empty name and ShardCount 0 (test/createStream.js)',
    operation: 'CreateStream',
    input: { StreamName: '', ShardCount: 0 },
    expected:
      '3 validation errors detected: ' +
      "Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
      "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
      "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
  },
  {
    // test/createStream.js "long StreamName": ShardCount 100000000000 saturates and has no model maximum.
    title: 'CreateStream with a 129-character name',
    operation: 'CreateStream',
    input: { StreamName: a129, ShardCount: 100000000000 },
    expected:
      '1 validation error detected: ' +
      `Value '${a129}' at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128`,
  },
  {
    title: 'CreateStream with ShardCount 0 and a 129-character bad name',
    operation: 'CreateStream',
    input: { StreamName: tooLongName, ShardCount: 0 },
    expected:
      '3 validation errors detected: ' +
      "Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
      `Value '${tooLongName}' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; ` +
      `Value '${tooLongName}' at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128`,
  },
  {
    title: 'CreateStream with a bad StreamMode (nested structure path, enum)',
    operation: 'CreateStream',
    input: { StreamName: 'a', StreamModeDetails: { StreamMode: 'FAST' } },
    expected:
      '1 validation error detected: ' +
      "Value 'FAST' at 'streamModeDetails.streamMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]",
  },
  {
    title: 'a valid CreateStream',
    operation: 'CreateStream',
    input: { StreamName: 'a-b_c.d', ShardCount: 2, Tags: { k: 'v' } },
    expected: undefined,
  },
  {
    // test/putRecords.js "no StreamName" (streamName no longer required).
    title: 'PutRecords with no members',
    operation: 'PutRecords',
    input: {},
    expected: "1 validation error detected: Value null at 'records' failed to satisfy constraint: Member must not be null",
  },
  {
    title: 'PutRecords with an empty name and no records (test/putRecords.js)',
    operation: 'PutRecords',
    input: { StreamName: '', Records: [] },
    expected:
      '3 validation errors detected: ' +
      "Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
      "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
  },
  {
    title: 'PutRecords with an empty PartitionKey and ExplicitHashKey (test/putRecords.js)',
    operation: 'PutRecords',
    input: { StreamName: '', Records: [{ PartitionKey: '', Data: '', ExplicitHashKey: '' }] },
    expected:
      '4 validation errors detected: ' +
      "Value '' at 'records.1.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      "Value '' at 'records.1.member.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38}); " +
      "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
      "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
  },
  {
    title: 'PutRecords with a missing record member',
    operation: 'PutRecords',
    input: { Records: [{ PartitionKey: 'a' }, null] },
    expected:
      '2 validation errors detected: ' +
      "Value null at 'records.1.member.data' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'records.2.member' failed to satisfy constraint: Member must not be null",
  },
  {
    // test/getShardIterator.js "no StreamName" (streamName no longer required).
    title: 'GetShardIterator with no members',
    operation: 'GetShardIterator',
    input: {},
    expected:
      '2 validation errors detected: ' +
      "Value null at 'shardId' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null",
  },
  {
    title: 'GetShardIterator with empty strings, enum in AWS order (test/getShardIterator.js)',
    operation: 'GetShardIterator',
    input: { StreamName: '', ShardIteratorType: '', ShardId: '', StartingSequenceNumber: '' },
    expected:
      '6 validation errors detected: ' +
      "Value '' at 'shardId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
      "Value '' at 'shardId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      "Value '' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]; " +
      "Value '' at 'startingSequenceNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128}); " +
      "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
      "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
  },
  {
    title: 'AddTagsToStream with an empty map (test/addTagsToStream.js)',
    operation: 'AddTagsToStream',
    input: { StreamName: '', Tags: {} },
    expected:
      '3 validation errors detected: ' +
      "Value '{}' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
      "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
  },
  {
    title: 'AddTagsToStream with a long tag key (test/addTagsToStream.js)',
    operation: 'AddTagsToStream',
    input: { StreamName: 'a', Tags: { a: '1', [a129]: '3' } },
    expected:
      '1 validation error detected: ' +
      `Value '{a=1, ${a129}=3}' at 'tags' failed to satisfy constraint: ` +
      'Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]',
  },
  {
    title: 'AddTagsToStream with a long tag value (test/addTagsToStream.js)',
    operation: 'AddTagsToStream',
    input: { StreamName: 'a', Tags: { c: 'a'.repeat(257) } },
    expected:
      '1 validation error detected: ' +
      `Value '{c=${'a'.repeat(257)}}' at 'tags' failed to satisfy constraint: ` +
      'Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0]',
  },
  {
    // kinesalite validations/removeTagsFromStream.js childLengths; the model now allows 50 keys.
    title: 'RemoveTagsFromStream with an empty tag key',
    operation: 'RemoveTagsFromStream',
    input: { StreamName: 'a', TagKeys: ['x', ''] },
    expected:
      '1 validation error detected: ' +
      "Value '[x, ]' at 'tagKeys' failed to satisfy constraint: " +
      'Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]',
  },
  {
    title: 'EnableEnhancedMonitoring with an unknown metric (list of enums)',
    operation: 'EnableEnhancedMonitoring',
    input: { StreamName: 'a', ShardLevelMetrics: ['Nope'] },
    expected:
      '1 validation error detected: ' +
      "Value '[Nope]' at 'shardLevelMetrics' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: " +
      '[IncomingBytes, IncomingRecords, OutgoingBytes, OutgoingRecords, WriteProvisionedThroughputExceeded, ReadProvisionedThroughputExceeded, IteratorAgeMilliseconds, ALL]]',
  },
  {
    title: 'ListShards with a bad ShardFilter (nested structure)',
    operation: 'ListShards',
    input: { StreamName: 'a', MaxResults: 0, ShardFilter: {} },
    expected:
      '2 validation errors detected: ' +
      "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
      "Value null at 'shardFilter.type' failed to satisfy constraint: Member must not be null",
  },
  {
    title: 'GetRecords with a large Limit (model maximum 10000)',
    operation: 'GetRecords',
    input: { ShardIterator: 'x', Limit: 10001 },
    expected:
      "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
  },
];

describe('validate: AWS messages for real Kinesis operations', () => {
  for (const { title, operation, input, expected } of cases) {
    it(title, () => {
      assert.equal(validationMessage(operation, input), expected);
    });
  }

  it('lists at most ten failures: PutRecords with 501 records (test/putRecords.js)', () => {
    const records = Array.from({ length: 501 }, () => ({ PartitionKey: '', Data: '' }));
    const entry = 'com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310';
    const expected =
      '10 validation errors detected: ' +
      `Value '[${Array.from({ length: 501 }, () => entry).join(', ')}]' at 'records' failed to satisfy constraint: ` +
      'Member must have length less than or equal to 500; ' +
      Array.from(
        { length: 9 },
        (_, index) =>
          `Value '' at 'records.${index + 1}.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1`,
      ).join('; ');
    assert.equal(validationMessage('PutRecords', { StreamName: '', Records: records }), expected);
  });

  it('renders blobs as HeapByteBuffer and uses the model limit 10485760 (test/putRecords.js, newer limit)', () => {
    const data = Buffer.alloc(10485761).toString('base64');
    const key = 'a'.repeat(257);
    assert.equal(
      validationMessage('PutRecords', { StreamName: a129, Records: [{ PartitionKey: key, Data: data, ExplicitHashKey: '' }] }),
      '4 validation errors detected: ' +
        `Value '${key}' at 'records.1.member.partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256; ` +
        "Value '' at 'records.1.member.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38}); " +
        "Value 'java.nio.HeapByteBuffer[pos=0 lim=10485761 cap=10485761]' at 'records.1.member.data' failed to satisfy constraint: Member must have length less than or equal to 10485760; " +
        `Value '${a129}' at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
  });
});
