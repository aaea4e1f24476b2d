import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceRecord } from './hosted-resource.js';
import { HOSTED_RESOURCE_TYPES } from './hosted-resource-types.js';
import { NotAvailableError } from './not-available-error.js';
import { parseTemplate } from './parse-template.js';
import { resourceReferences } from './resource-references.js';
import { TemplateError } from './template-error.js';
import { readTemplate } from './template.js';

const template = readTemplate(parseTemplate(`Resources:
  Stream: { Type: AWS::Kinesis::Stream }
  Consumer: { Type: AWS::Kinesis::StreamConsumer }
  Off: { Type: AWS::Kinesis::Stream, Condition: Never }
  Fn: { Type: AWS::Lambda::Function }
`));
const records = new Map<string, ResourceRecord>([
  ['Stream', { type: 'AWS::Kinesis::Stream', physicalId: 'lab', properties: {}, attributes: { Arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/lab' } }],
  ['Consumer', { type: 'AWS::Kinesis::StreamConsumer', physicalId: 'arn:c', properties: {}, attributes: { ConsumerARN: 'arn:c', ConsumerName: 'c', ConsumerStatus: 'ACTIVE', StreamARN: 'arn:s', ConsumerCreationTimestamp: 't' } }],
]);
const scope = { template, hostedTypes: HOSTED_RESOURCE_TYPES, active: new Set(['Stream', 'Consumer', 'Fn']), records };
const pos = { line: 9, col: 7 };

describe('resourceReferences', () => {
  it('Ref and every documented attribute of the hosted types', () => {
    const refs = resourceReferences(scope, { logicalId: 'Policy', type: 'AWS::Kinesis::ResourcePolicy' });
    assert.equal(refs.ref('Stream', pos), 'lab');
    assert.equal(refs.getAtt('Stream', 'Arn', pos), 'arn:aws:kinesis:us-east-1:000000000000:stream/lab');
    assert.equal(refs.ref('Consumer', pos), 'arn:c');
    for (const attribute of ['ConsumerARN', 'ConsumerCreationTimestamp', 'ConsumerName', 'ConsumerStatus', 'StreamARN']) assert.ok(refs.getAtt('Consumer', attribute, pos));
  });

  it('a GetAtt of an unknown attribute is CloudFormation\'s error, with its position', () => {
    const refs = resourceReferences(scope, { logicalId: 'Policy', type: 'AWS::Kinesis::ResourcePolicy' });
    assert.throws(() => refs.getAtt('Stream', 'StreamArn', pos), (error) => error instanceof TemplateError && error.pos === pos && /resource Stream does not support attribute type StreamArn in Fn::GetAtt/.test(error.message));
  });

  it('a skipped resource names both resources; a resource whose condition is false is unresolved', () => {
    const refs = resourceReferences(scope, { logicalId: 'Policy', type: 'AWS::Kinesis::ResourcePolicy' });
    assert.throws(() => refs.getAtt('Fn', 'Arn', pos), (error) => error instanceof NotAvailableError && /AWS::Kinesis::ResourcePolicy Policy needs Fn::GetAtt Arn of Fn \(AWS::Lambda::Function\), which Riffle does not host/.test(error.message));
    assert.throws(() => refs.ref('Off', pos), /Unresolved resource dependencies \[Off\] in the Resources block of the template/);
  });
});
