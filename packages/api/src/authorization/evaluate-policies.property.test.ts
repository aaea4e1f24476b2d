import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConditionContext } from './condition-context.js';
import { compilePolicy, tryCompilePolicy } from './compiled-policy.js';
import { evaluatePolicies, type ApplicablePolicies, type AuthorizationRequest } from './evaluate-policies.js';
import type { Caller } from './principal-match.js';

const accounts = ['111111111111', '222222222222'];
const actionNames = ['kinesis:PutRecord', 'kinesis:GetRecords', 'kinesis:ListStreams', 'kinesis:DeleteStream'];
const resources = [
  'arn:aws:kinesis:us-east-1:111111111111:stream/a',
  'arn:aws:kinesis:us-east-1:111111111111:stream/b',
  'arn:aws:kinesis:us-east-1:222222222222:stream/a',
  '*',
];

const callers: fc.Arbitrary<Caller> = fc.oneof(
  ...accounts.flatMap((account) => [
    fc.constant({ arn: `arn:aws:iam::${account}:user/alice`, account }),
    fc.constant({ arn: `arn:aws:iam::${account}:root`, account }),
    fc.constant({ arn: `arn:aws:sts::${account}:assumed-role/reader/s`, account }),
  ]),
);

const actionPatterns = fc.constantFrom('*', 'kinesis:*', 'kinesis:Get*', 'kinesis:put?ecord', 'kinesis:PutRecord', 'kinesis:List*', 's3:*');
const resourcePatterns = fc.constantFrom('*', 'arn:aws:kinesis:*:111111111111:stream/*', 'arn:aws:kinesis:us-east-1:*:stream/a', 'arn:aws:kinesis:*:*:stream/${aws:username}', 'arn:aws:s3:::x');
const operators = fc.constantFrom(
  'StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLikeIfExists', 'NumericLessThan', 'DateGreaterThan', 'Bool', 'IpAddress',
  'NotIpAddress', 'ArnLike', 'Null', 'ForAnyValue:StringEquals', 'ForAllValues:StringLike', 'MadeUpOperator', 'ForAllValues:NumericEqualsIfExists',
);
const conditionKeys = fc.constantFrom('aws:SourceIp', 'aws:username', 'aws:TagKeys', 'aws:EpochTime', 'aws:SecureTransport', 'aws:PrincipalArn', 'aws:Missing');
const conditionValues = fc.oneof(
  fc.constantFrom('10.0.0.0/8', 'alice', 'true', '1700000000', '2026-01-01T00:00:00Z', 'arn:aws:iam::*:user/*', '${aws:username}', '*', '::1/128'),
  fc.string({ maxLength: 6 }),
);
const conditions = fc.dictionary(operators, fc.dictionary(conditionKeys, fc.oneof(conditionValues, fc.array(conditionValues, { minLength: 1, maxLength: 3 })), { maxKeys: 2 }), { maxKeys: 2 });
const principals = fc.oneof(
  fc.constant('*'),
  fc.record({ AWS: fc.oneof(fc.constantFrom(...accounts), fc.constantFrom('arn:aws:iam::111111111111:user/alice', 'arn:aws:iam::222222222222:root', 'arn:aws:iam::222222222222:role/reader')) }),
);

const statement = (kind: 'identity' | 'resource') =>
  fc.record(
    {
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.oneof(actionPatterns, fc.array(actionPatterns, { minLength: 1, maxLength: 3 })),
      Resource: fc.oneof(resourcePatterns, fc.array(resourcePatterns, { minLength: 1, maxLength: 2 })),
      Condition: conditions,
      ...(kind === 'resource' ? { Principal: principals } : {}),
    },
    { requiredKeys: kind === 'resource' ? ['Effect', 'Action', 'Principal'] : ['Effect', 'Action', 'Resource'] },
  );
const policyOf = (kind: 'identity' | 'resource') =>
  fc.record({ Version: fc.constantFrom('2012-10-17', '2008-10-17'), Statement: fc.array(statement(kind), { minLength: 1, maxLength: 4 }) });

const contexts = fc
  .record(
    {
      'aws:SourceIp': fc.constantFrom('10.1.2.3', '192.0.2.1', '::1', '::ffff:10.0.0.1', 'junk'),
      'aws:username': fc.constantFrom('alice', 'a', 'b*'),
      'aws:TagKeys': fc.array(fc.constantFrom('team', 'env', ''), { maxLength: 3 }),
      'aws:EpochTime': fc.constantFrom(1600000000, 1800000000),
      'aws:SecureTransport': fc.boolean(),
      'aws:PrincipalArn': fc.constantFrom('arn:aws:iam::111111111111:user/alice', 'nonsense'),
    },
    { requiredKeys: [] },
  )
  .map((entries) => ConditionContext.from(entries));

const requests: fc.Arbitrary<AuthorizationRequest> = fc.record({
  caller: callers,
  action: fc.constantFrom(...actionNames),
  resource: fc.constantFrom(...resources),
  context: contexts,
}).map((r) => ({ ...r, resourceAccount: r.resource === '*' ? r.caller.account : r.resource.split(':')[4]! }));

const applicable: fc.Arbitrary<ApplicablePolicies> = fc.record({
  identity: fc.option(fc.array(policyOf('identity').map((p) => compilePolicy(p, 'identity')), { maxLength: 3 }), { nil: undefined }),
  resource: fc.option(policyOf('resource').map((p) => compilePolicy(p, 'resource')), { nil: undefined }),
});

const denyEverything = compilePolicy({ Version: '2012-10-17', Statement: { Effect: 'Deny', Action: '*', Resource: '*' } }, 'identity');

describe('evaluatePolicies, for arbitrary policies and requests', () => {
  it('always decides, and an added explicit Deny always denies', () => {
    fc.assert(
      fc.property(requests, applicable, (request, policies) => {
        const decision = evaluatePolicies(request, policies);
        assert.equal(typeof decision.allowed, 'boolean');
        const withDeny = evaluatePolicies(request, { ...policies, identity: [...(policies.identity ?? []), denyEverything] });
        assert.deepEqual(withDeny, { allowed: false, reason: 'explicit-deny-in-identity-policy' });
      }),
      { numRuns: 1500 },
    );
  });

  it('never allows more when a policy gains a Deny statement, nor less when it gains an Allow', () => {
    fc.assert(
      fc.property(requests, applicable, statement('identity'), (request, policies, extra) => {
        const before = evaluatePolicies(request, policies).allowed;
        if (policies.identity === undefined) return;
        const added = compilePolicy({ Version: '2012-10-17', Statement: extra }, 'identity');
        const after = evaluatePolicies(request, { ...policies, identity: [...policies.identity, added] }).allowed;
        if (extra.Effect === 'Deny') assert.ok(!after || before, 'a Deny allowed something');
        else assert.ok(after || !before, 'an Allow denied something');
      }),
      { numRuns: 1500 },
    );
  });

  it('never allows another account without a resource policy', () => {
    fc.assert(
      fc.property(requests, applicable, (request, policies) => {
        if (request.caller.account === request.resourceAccount) return;
        assert.equal(evaluatePolicies(request, { identity: policies.identity }).allowed, false);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on whatever a caller hands it as a policy', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), policyOf('identity'), policyOf('resource')), requests, (source, request) => {
        const asIdentity = tryCompilePolicy(source, 'identity');
        const asResource = tryCompilePolicy(source, 'resource');
        const decision = evaluatePolicies(request, { identity: asIdentity ? [asIdentity] : [], resource: asResource });
        assert.equal(typeof decision.allowed, 'boolean');
      }),
      { numRuns: 1500 },
    );
  });
});
