import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { kinesisModel } from '../../generated/kinesis/shapes.js';
import type { GetRecordsOutput } from '../../generated/kinesis/types.js';
import { OutputSerializer } from '../serialize.js';
import { getRecordsOutputJson } from './get-records-output-json.js';

const generic = new OutputSerializer(kinesisModel.shapes, 'json');
const viaGenericPath = (output: GetRecordsOutput) => Buffer.from(JSON.stringify(generic.serialize('GetRecordsOutput', output)), 'utf8');

const outputs = fc.record(
  {
    Records: fc.array(
      fc.record(
        {
          SequenceNumber: fc.bigInt({ min: 0n, max: 10n ** 56n }).map(String),
          ApproximateArrivalTimestamp: fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms)),
          Data: fc.uint8Array({ maxLength: 300 }),
          PartitionKey: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
          EncryptionType: fc.constantFrom('NONE' as const, 'KMS' as const),
        },
        { requiredKeys: ['SequenceNumber', 'Data', 'PartitionKey'] },
      ),
      { maxLength: 30 },
    ),
    NextShardIterator: fc.base64String({ minLength: 4, maxLength: 300 }),
    MillisBehindLatest: fc.nat(),
    ChildShards: fc.array(
      fc.record({
        ShardId: fc.constantFrom('shardId-000000000001', 'shardId-000000000002'),
        ParentShards: fc.array(fc.constant('shardId-000000000000'), { minLength: 1, maxLength: 2 }),
        HashKeyRange: fc.record({ StartingHashKey: fc.constant('0'), EndingHashKey: fc.constant('340282366920938463463374607431768211455') }),
      }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['Records'] },
);

describe('GetRecordsOutput written directly as JSON', () => {
  it('produces exactly the bytes of the generic serializer and JSON.stringify', () => {
    fc.assert(
      fc.property(outputs, (output) => {
        assert.deepEqual(getRecordsOutputJson(output as GetRecordsOutput), viaGenericPath(output as GetRecordsOutput));
      }),
      { numRuns: 300 },
    );
  });

  it('handles an empty page and multi-byte partition keys', () => {
    for (const output of [
      { Records: [], NextShardIterator: 'AAAA', MillisBehindLatest: 0 },
      { Records: [{ SequenceNumber: '1', Data: new Uint8Array([0, 255]), PartitionKey: 'clé-ключ-🔑"\\\n' }] },
    ] as GetRecordsOutput[]) {
      assert.deepEqual(getRecordsOutputJson(output), viaGenericPath(output));
    }
  });
});
