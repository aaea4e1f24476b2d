import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConditionContext } from './condition-context.js';
import { compilePolicy, tryCompilePolicy } from './compiled-policy.js';
import { InvalidPolicyDocumentError, parsePolicyDocument } from './policy-document.js';

const text = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'kinesis:Get*', Resource: 'arn:aws:kinesis:*:123456789012:stream/${aws:username}-*' },
    { Effect: 'Deny', NotAction: ['kinesis:Describe*', 'kinesis:List*'], NotResource: 'arn:aws:kinesis:*:*:stream/open-*' },
  ],
});

describe('compilePolicy', () => {
  it('compiles once per text and per object', () => {
    assert.equal(compilePolicy(text, 'identity'), compilePolicy(text, 'identity'));
    const object = JSON.parse(text) as object;
    assert.equal(compilePolicy(object, 'identity'), compilePolicy(object, 'identity'));
    const document = parsePolicyDocument(text, 'identity');
    assert.equal(compilePolicy(document, 'identity').document, document, 'a parsed document is used as it is');
  });

  it('matches actions case-insensitively and resources with their variables filled in', () => {
    const [allow, deny] = compilePolicy(text, 'identity').statements;
    const alice = ConditionContext.from({ 'aws:username': 'alice' });
    assert.equal(allow!.coversAction('kinesis:GETRECORDS'), true);
    assert.equal(allow!.coversAction('kinesis:PutRecord'), false);
    assert.equal(allow!.coversResource('arn:aws:kinesis:us-east-1:123456789012:stream/alice-logs', alice), true);
    assert.equal(allow!.coversResource('arn:aws:kinesis:us-east-1:123456789012:stream/bob-logs', alice), false);
    assert.equal(allow!.coversResource('arn:aws:kinesis:us-east-1:123456789012:stream/alice-logs', ConditionContext.empty), false, 'no user name, no match');
    assert.equal(deny!.coversAction('kinesis:PutRecord'), true, 'NotAction covers what it does not list');
    assert.equal(deny!.coversAction('kinesis:ListShards'), false);
    assert.equal(deny!.coversResource('arn:aws:kinesis:us-east-1:1:stream/open-x', alice), false, 'NotResource');
    assert.equal(deny!.coversResource('arn:aws:kinesis:us-east-1:1:stream/closed', alice), true);
  });

  it('reads ${...} literally in a 2008-10-17 policy', () => {
    const old = compilePolicy({ Statement: { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/${aws:username}' } }, 'identity');
    const alice = ConditionContext.from({ 'aws:username': 'alice' });
    assert.equal(old.statements[0]!.coversResource('arn:aws:s3:::b/alice', alice), false);
    assert.equal(old.statements[0]!.coversResource('arn:aws:s3:::b/${aws:username}', alice), true);
  });

  it('throws InvalidPolicyDocumentError for invalid sources; tryCompilePolicy gives undefined', () => {
    assert.throws(() => compilePolicy('{}', 'identity'), InvalidPolicyDocumentError);
    assert.equal(tryCompilePolicy('{}', 'identity'), undefined);
    assert.equal(tryCompilePolicy(42, 'identity'), undefined);
    assert.ok(tryCompilePolicy(text, 'identity'));
    assert.equal(tryCompilePolicy(text, 'resource'), undefined, 'no Principal: not a resource policy');
  });
});
