import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kinesisStreamResource } from './kinesis-stream-resource.js';
import { positionAt } from './node-position.js';
import { parseTemplate } from './parse-template.js';
import { checkProperties } from './property-schema.js';
import { TemplateError } from './template-error.js';
import { TemplateEvaluator } from './template-evaluator.js';
import { readTemplate } from './template.js';

/** The LabStream's properties of a template, evaluated and checked as the deployer does. */
function checkStream(properties: string) {
  const template = readTemplate(parseTemplate(`Resources:\n  LabStream:\n    Type: AWS::Kinesis::Stream\n    Properties:\n${properties}\n`));
  const declaration = template.resources.get('LabStream')!;
  const evaluator = new TemplateEvaluator({ parameters: new Map(), pseudo: new Map(), mappings: new Map(), conditions: new Map(), resourceIds: new Set(), region: 'us-east-1' }, 'Resources', undefined);
  const value = evaluator.value(declaration.properties!);
  return checkProperties('LabStream', kinesisStreamResource.schema, value as never, (pointer) => positionAt(declaration.properties, pointer, declaration.pos));
}
const failsAt = (line: number, col: number, message: RegExp) => (error: unknown): boolean =>
  error instanceof TemplateError && error.pos?.line === line && error.pos.col === col && message.test(error.message);

describe('AWS::Kinesis::Stream properties', () => {
  it('accepts every property, integers written as strings converted', () => {
    const checked = checkStream(`      Name: s
      ShardCount: "2"
      RetentionPeriodHours: 48
      StreamModeDetails: { StreamMode: PROVISIONED }
      StreamEncryption: { EncryptionType: KMS, KeyId: alias/aws/kinesis }
      Tags: [{ Key: a, Value: b }]
      DesiredShardLevelMetrics: [IncomingBytes, OutgoingBytes]
      MaxRecordSizeInKiB: 2048
      WarmThroughputMiBps: 0
      RecordDistributionStrategy: USER_PARTITION_KEY`);
    assert.equal(checked.ShardCount, 2);
    assert.equal(checked.MaxRecordSizeInKiB, 2048);
  });

  it('a wrong property type names the property and its position', () => {
    assert.throws(() => checkStream('      Name: s\n      ShardCount: [1]'), failsAt(6, 19, /^Properties validation failed for resource LabStream with message: #\/ShardCount: expected type: Integer, found: JSONArray$/));
    assert.throws(() => checkStream('      Name: s\n      StreamModeDetails: PROVISIONED'), failsAt(6, 26, /#\/StreamModeDetails: expected type: JSONObject, found: String/));
  });

  it('ranges, enums, patterns, required keys and unknown properties', () => {
    assert.throws(() => checkStream('      ShardCount: 0'), failsAt(5, 19, /#\/ShardCount: 0 is not greater or equal to 1/));
    assert.throws(() => checkStream('      ShardCount: 100001'), /#\/ShardCount: 100001 is not less or equal to 100000/);
    assert.throws(() => checkStream('      MaxRecordSizeInKiB: 512'), /#\/MaxRecordSizeInKiB: 512 is not greater or equal to 1024/);
    assert.throws(() => checkStream('      StreamModeDetails:\n        StreamMode: FAST'), failsAt(6, 21, /#\/StreamModeDetails\/StreamMode: FAST is not a valid enum value/));
    assert.throws(() => checkStream('      Name: "has space"'), /#\/Name: failed validation constraint for keyword \[pattern\]/);
    assert.throws(() => checkStream('      StreamEncryption: { EncryptionType: KMS }'), /#\/StreamEncryption: required key \[KeyId\] not found/);
    assert.throws(() => checkStream('      DesiredShardLevelMetrics: [ALL, ALL]'), /#\/DesiredShardLevelMetrics: array items are not unique/);
    assert.throws(() => checkStream('      Shards: 1'), failsAt(5, 15, /^Encountered unsupported property Shards$/));
  });
});
