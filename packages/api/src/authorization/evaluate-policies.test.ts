import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConditionContext } from './condition-context.js';
import { compilePolicy, type CompiledPolicy } from './compiled-policy.js';
import { evaluatePolicies, type AuthorizationRequest } from './evaluate-policies.js';
import type { Caller } from './principal-match.js';

const owner = '123456789012';
const other = '210987654321';
const stream = `arn:aws:kinesis:us-east-1:${owner}:stream/orders`;
const alice: Caller = { arn: `arn:aws:iam::${owner}:user/alice`, account: owner };
const ownerRoot: Caller = { arn: `arn:aws:iam::${owner}:root`, account: owner };
const bob: Caller = { arn: `arn:aws:iam::${other}:user/bob`, account: other };
const otherRoot: Caller = { arn: `arn:aws:iam::${other}:root`, account: other };

const identity = (...statements: object[]): CompiledPolicy =>
  compilePolicy({ Version: '2012-10-17', Statement: statements }, 'identity');
const resourcePolicy = (...statements: object[]): CompiledPolicy =>
  compilePolicy({ Version: '2012-10-17', Statement: statements }, 'resource');
const request = (caller: Caller, action: string, context?: ConditionContext): AuthorizationRequest => ({
  caller,
  action,
  resource: stream,
  resourceAccount: owner,
  context,
});

const allowAll = identity({ Effect: 'Allow', Action: 'kinesis:*', Resource: '*' });

describe('evaluatePolicies in the resource’s account', () => {
  it('allows what an identity-based policy allows, with wildcards in action and resource', () => {
    const policy = identity({ Effect: 'Allow', Action: ['kinesis:Get*', 'kinesis:DescribeStreamSummary'], Resource: 'arn:aws:kinesis:*:123456789012:stream/ord*' });
    assert.deepEqual(evaluatePolicies(request(alice, 'kinesis:GetRecords'), { identity: [policy] }), { allowed: true });
    assert.deepEqual(evaluatePolicies(request(alice, 'kinesis:getshardITERATOR'), { identity: [policy] }), { allowed: true });
    assert.deepEqual(evaluatePolicies(request(alice, 'kinesis:PutRecord'), { identity: [policy] }), { allowed: false, reason: 'no-identity-policy-allows' });
  });

  it('denies implicitly without policies, and allows everything for undefined policies (root)', () => {
    assert.deepEqual(evaluatePolicies(request(alice, 'kinesis:PutRecord'), { identity: [] }), { allowed: false, reason: 'no-identity-policy-allows' });
    assert.deepEqual(evaluatePolicies(request(ownerRoot, 'kinesis:DeleteStream'), { identity: undefined }), { allowed: true });
  });

  it('lets an explicit Deny win over any Allow, in any order and any policy', () => {
    const deny = identity({ Effect: 'Deny', Action: 'kinesis:DeleteStream', Resource: stream });
    assert.deepEqual(evaluatePolicies(request(alice, 'kinesis:DeleteStream'), { identity: [deny, allowAll] }), {
      allowed: false,
      reason: 'explicit-deny-in-identity-policy',
    });
    assert.deepEqual(evaluatePolicies(request(alice, 'kinesis:DeleteStream'), { identity: [allowAll, deny] }), {
      allowed: false,
      reason: 'explicit-deny-in-identity-policy',
    });
    assert.deepEqual(evaluatePolicies(request(alice, 'kinesis:PutRecord'), { identity: [allowAll, deny] }), { allowed: true });
  });

  it('lets a resource policy Deny that names the caller win, even over root', () => {
    const denyAlice = resourcePolicy({ Effect: 'Deny', Principal: { AWS: alice.arn }, Action: 'kinesis:PutRecord', Resource: stream });
    assert.deepEqual(evaluatePolicies(request(alice, 'kinesis:PutRecord'), { identity: [allowAll], resource: denyAlice }), {
      allowed: false,
      reason: 'explicit-deny-in-resource-policy',
    });
    const denyEveryone = resourcePolicy({ Effect: 'Deny', Principal: '*', Action: 'kinesis:*', Resource: stream });
    assert.equal(evaluatePolicies(request(ownerRoot, 'kinesis:PutRecord'), { identity: undefined, resource: denyEveryone }).allowed, false);
    const denyOthers = resourcePolicy({ Effect: 'Deny', Principal: { AWS: bob.arn }, Action: 'kinesis:*', Resource: stream });
    assert.deepEqual(evaluatePolicies(request(alice, 'kinesis:PutRecord'), { identity: [allowAll], resource: denyOthers }), { allowed: true }, 'a Deny naming someone else does not apply');
  });

  it('allows a same-account caller named by the resource policy without any identity-based policy', () => {
    const grant = resourcePolicy({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kinesis:PutRecord', Resource: stream });
    assert.deepEqual(evaluatePolicies(request(alice, 'kinesis:PutRecord'), { identity: [], resource: grant }), { allowed: true });
    assert.equal(evaluatePolicies(request(alice, 'kinesis:GetRecords'), { identity: [], resource: grant }).allowed, false);
  });

  it('does not let a grant to the account stand in for the user’s own identity-based policies', () => {
    const grantAccount = resourcePolicy({ Effect: 'Allow', Principal: { AWS: owner }, Action: 'kinesis:PutRecord', Resource: stream });
    assert.deepEqual(evaluatePolicies(request(alice, 'kinesis:PutRecord'), { identity: [], resource: grantAccount }), {
      allowed: false,
      reason: 'no-identity-policy-allows',
    });
  });

  it('evaluates conditions with the request context', () => {
    const policy = identity({
      Effect: 'Allow',
      Action: 'kinesis:PutRecord',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, Bool: { 'aws:SecureTransport': 'true' } },
    });
    const inside = ConditionContext.from({ 'aws:SourceIp': '10.2.3.4', 'aws:SecureTransport': true });
    const outside = ConditionContext.from({ 'aws:SourceIp': '192.0.2.1', 'aws:SecureTransport': true });
    assert.equal(evaluatePolicies(request(alice, 'kinesis:PutRecord', inside), { identity: [policy] }).allowed, true);
    assert.equal(evaluatePolicies(request(alice, 'kinesis:PutRecord', outside), { identity: [policy] }).allowed, false);
    assert.equal(evaluatePolicies(request(alice, 'kinesis:PutRecord'), { identity: [policy] }).allowed, false, 'no context, no match');
  });

  it('honours NotAction and NotResource', () => {
    const policy = identity(
      { Effect: 'Allow', NotAction: 'kinesis:DeleteStream', Resource: '*' },
      { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:kinesis:*:*:stream/orders' },
    );
    assert.equal(evaluatePolicies(request(alice, 'kinesis:PutRecord'), { identity: [policy] }).allowed, true);
    assert.equal(evaluatePolicies(request(alice, 'kinesis:DeleteStream'), { identity: [policy] }).allowed, false);
    const elsewhere = { ...request(alice, 'kinesis:PutRecord'), resource: `arn:aws:kinesis:us-east-1:${owner}:stream/other` };
    assert.deepEqual(evaluatePolicies(elsewhere, { identity: [policy] }), { allowed: false, reason: 'explicit-deny-in-identity-policy' });
  });

  it('matches `*` resources (ListStreams) only with a Resource of `*`', () => {
    const scoped = identity({ Effect: 'Allow', Action: 'kinesis:*', Resource: 'arn:aws:kinesis:*:*:stream/*' });
    const list = { caller: alice, action: 'kinesis:ListStreams', resource: '*', resourceAccount: owner };
    assert.equal(evaluatePolicies(list, { identity: [scoped] }).allowed, false);
    assert.equal(evaluatePolicies(list, { identity: [allowAll] }).allowed, true);
  });

  it('fills policy variables from the context', () => {
    const own = identity({ Effect: 'Allow', Action: 'kinesis:*', Resource: 'arn:aws:kinesis:*:${aws:PrincipalAccount}:stream/${aws:username}-*' });
    const context = ConditionContext.from({ 'aws:username': 'alice', 'aws:PrincipalAccount': owner });
    const mine = { caller: alice, action: 'kinesis:PutRecord', resource: `arn:aws:kinesis:us-east-1:${owner}:stream/alice-1`, resourceAccount: owner, context };
    assert.equal(evaluatePolicies(mine, { identity: [own] }).allowed, true);
    assert.equal(evaluatePolicies({ ...mine, resource: `arn:aws:kinesis:us-east-1:${owner}:stream/bob-1` }, { identity: [own] }).allowed, false);
  });
});

describe('evaluatePolicies across accounts', () => {
  const crossRequest = (caller: Caller, action = 'kinesis:GetRecords'): AuthorizationRequest => request(caller, action);
  const shareWithOther = resourcePolicy({ Effect: 'Allow', Principal: { AWS: other }, Action: ['kinesis:GetRecords', 'kinesis:GetShardIterator'], Resource: stream });

  it('needs both the caller’s identity-based policy and the resource policy', () => {
    assert.deepEqual(evaluatePolicies(crossRequest(bob), { identity: [allowAll], resource: shareWithOther }), { allowed: true });
    assert.deepEqual(evaluatePolicies(crossRequest(bob), { identity: [], resource: shareWithOther }), { allowed: false, reason: 'no-identity-policy-allows' });
    assert.deepEqual(evaluatePolicies(crossRequest(bob), { identity: [allowAll] }), { allowed: false, reason: 'no-resource-policy-allows' });
    assert.deepEqual(evaluatePolicies(crossRequest(bob, 'kinesis:PutRecord'), { identity: [allowAll], resource: shareWithOther }), {
      allowed: false,
      reason: 'no-resource-policy-allows',
    });
  });

  it('needs the resource policy even for the other account’s root', () => {
    assert.deepEqual(evaluatePolicies(crossRequest(otherRoot), { identity: undefined }), { allowed: false, reason: 'no-resource-policy-allows' });
    assert.deepEqual(evaluatePolicies(crossRequest(otherRoot), { identity: undefined, resource: shareWithOther }), { allowed: true });
  });

  it('accepts grants to the account root ARN, to the user and to everyone; not to someone else', () => {
    const grant = (principal: unknown) => resourcePolicy({ Effect: 'Allow', Principal: principal, Action: 'kinesis:GetRecords', Resource: stream });
    assert.equal(evaluatePolicies(crossRequest(bob), { identity: [allowAll], resource: grant({ AWS: `arn:aws:iam::${other}:root` }) }).allowed, true);
    assert.equal(evaluatePolicies(crossRequest(bob), { identity: [allowAll], resource: grant({ AWS: bob.arn }) }).allowed, true);
    assert.equal(evaluatePolicies(crossRequest(bob), { identity: [allowAll], resource: grant('*') }).allowed, true);
    assert.equal(evaluatePolicies(crossRequest(bob), { identity: [allowAll], resource: grant({ AWS: `arn:aws:iam::${other}:user/carol` }) }).allowed, false);
    assert.equal(evaluatePolicies(crossRequest(bob), { identity: [allowAll], resource: grant({ AWS: '999999999999' }) }).allowed, false);
  });

  it('lets the caller’s own explicit Deny win over a resource-policy grant', () => {
    const deny = identity({ Effect: 'Deny', Action: 'kinesis:GetRecords', Resource: '*' });
    assert.deepEqual(evaluatePolicies(crossRequest(bob), { identity: [allowAll, deny], resource: shareWithOther }), {
      allowed: false,
      reason: 'explicit-deny-in-identity-policy',
    });
  });

  it('applies resource-policy conditions such as aws:PrincipalAccount', () => {
    const conditioned = resourcePolicy({
      Effect: 'Allow',
      Principal: '*',
      Action: 'kinesis:GetRecords',
      Resource: stream,
      Condition: { StringEquals: { 'aws:PrincipalAccount': [other] } },
    });
    const withAccount = (caller: Caller) => ({ ...crossRequest(caller), context: ConditionContext.from({ 'aws:PrincipalAccount': caller.account }) });
    assert.equal(evaluatePolicies(withAccount(bob), { identity: [allowAll], resource: conditioned }).allowed, true);
    const eve: Caller = { arn: 'arn:aws:iam::999999999999:user/eve', account: '999999999999' };
    assert.equal(evaluatePolicies(withAccount(eve), { identity: [allowAll], resource: conditioned }).allowed, false);
  });
});
