import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConditionContext, requestConditionContext } from './condition-context.js';

describe('ConditionContext', () => {
  it('looks keys up case-insensitively and renders values as IAM sees them', () => {
    const context = ConditionContext.from({ 'aws:SecureTransport': true, 'aws:EpochTime': 17, 'aws:CurrentTime': new Date(0), 'aws:TagKeys': ['a'], gone: undefined });
    assert.deepEqual(context.values('AWS:SECURETRANSPORT'), ['true']);
    assert.deepEqual(context.values('aws:epochtime'), ['17']);
    assert.deepEqual(context.values('aws:CurrentTime'), ['1970-01-01T00:00:00.000Z']);
    assert.equal(context.values('gone'), undefined);
    assert.equal(context.single('aws:TagKeys'), undefined, 'multi-valued keys have no single value');
    assert.equal(context.single('aws:epochTime'), '17');
  });
});

describe('requestConditionContext', () => {
  it('fills the global keys from what the server knows of a request', () => {
    const context = requestConditionContext({
      principalArn: 'arn:aws:iam::123456789012:user/division/alice',
      principalAccount: '123456789012',
      sourceIp: '10.0.0.1',
      now: new Date('2026-01-02T03:04:05Z'),
      secureTransport: false,
      requestedRegion: 'us-east-1',
      resourceAccount: '210987654321',
      resourceTags: { team: 'data' },
      requestTags: { env: 'prod' },
      tagKeys: ['env'],
    });
    assert.equal(context.single('aws:username'), 'alice');
    assert.equal(context.single('aws:PrincipalType'), 'User');
    assert.equal(context.single('aws:EpochTime'), String(Date.parse('2026-01-02T03:04:05Z') / 1000));
    assert.equal(context.single('aws:CurrentTime'), '2026-01-02T03:04:05.000Z');
    assert.equal(context.single('aws:SecureTransport'), 'false');
    assert.equal(context.single('aws:ResourceTag/team'), 'data');
    assert.equal(context.single('aws:RequestTag/env'), 'prod');
    assert.deepEqual(context.values('aws:TagKeys'), ['env']);
    assert.equal(context.single('aws:ResourceAccount'), '210987654321');
  });

  it('gives a role session the role as aws:PrincipalArn and no aws:username', () => {
    const context = requestConditionContext({ principalArn: 'arn:aws:sts::123456789012:assumed-role/reader/s1', principalAccount: '123456789012' });
    assert.equal(context.single('aws:PrincipalArn'), 'arn:aws:iam::123456789012:role/reader');
    assert.equal(context.single('aws:PrincipalType'), 'AssumedRole');
    assert.equal(context.single('aws:username'), undefined);
    assert.equal(requestConditionContext({ principalArn: 'arn:aws:iam::123456789012:root', principalAccount: '123456789012' }).single('aws:PrincipalType'), 'Account');
  });
});
