import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { kinesisModel } from '../../generated/kinesis/shapes.js';
import type { PutRecordsOutput } from '../../generated/kinesis/types.js';
import { OutputSerializer } from '../serialize.js';
import { putRecordsOutputJson } from './put-records-output-json.js';

const generic = new OutputSerializer(kinesisModel.shapes, 'json');
const viaGenericPath = (output: PutRecordsOutput) => Buffer.from(JSON.stringify(generic.serialize('PutRecordsOutput', output)), 'utf8');

const entry = fc.oneof(
  fc.record({ SequenceNumber: fc.bigInt({ min: 0n, max: 10n ** 56n }).map(String), ShardId: fc.constantFrom('shardId-000000000000', 'shardId-000000000031') }),
  fc.record({ ErrorCode: fc.constantFrom('InternalFailure', 'ProvisionedThroughputExceededException'), ErrorMessage: fc.string({ unit: 'binary', maxLength: 40 }) }),
  fc.record(
    { SequenceNumber: fc.string({ maxLength: 5 }), ShardId: fc.string({ maxLength: 5 }), ErrorCode: fc.string({ maxLength: 5 }), ErrorMessage: fc.string({ maxLength: 5 }) },
    { requiredKeys: [] },
  ),
);
const outputs = fc.record(
  {
    FailedRecordCount: fc.nat({ max: 500 }),
    Records: fc.array(entry, { maxLength: 40 }),
    EncryptionType: fc.constantFrom('NONE' as const, 'KMS' as const),
  },
  { requiredKeys: ['Records'] },
);

describe('PutRecordsOutput written directly as JSON', () => {
  it('produces exactly the bytes of the generic serializer and JSON.stringify', () => {
    fc.assert(
      fc.property(outputs, (output) => {
        assert.deepEqual(putRecordsOutputJson(output as PutRecordsOutput), viaGenericPath(output as PutRecordsOutput));
      }),
      { numRuns: 300 },
    );
  });
});
