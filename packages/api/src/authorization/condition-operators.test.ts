import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConditionContext, type ContextValue } from './condition-context.js';
import { compileCondition, isKnownConditionOperator } from './condition-operators.js';

/** Whether one `operator: {key: values}` holds for a request with these context keys. */
function holds(operator: string, key: string, values: string | string[], context: Record<string, ContextValue>, variables = true): boolean {
  const condition = compileCondition([{ operator, key, values: Array.isArray(values) ? values : [values] }], variables);
  return condition(ConditionContext.from(context));
}

describe('string operators', () => {
  it('StringEquals is exact and case-sensitive; values are OR-ed', () => {
    assert.equal(holds('StringEquals', 'aws:username', ['bob', 'alice'], { 'aws:username': 'alice' }), true);
    assert.equal(holds('StringEquals', 'aws:username', 'Alice', { 'aws:username': 'alice' }), false);
    assert.equal(holds('StringEquals', 'aws:username', 'alice', {}), false, 'an absent key does not equal');
  });

  it('negated operators hold when no value matches (NOR), and when the key is absent', () => {
    assert.equal(holds('StringNotEquals', 'aws:username', ['bob', 'carol'], { 'aws:username': 'alice' }), true);
    assert.equal(holds('StringNotEquals', 'aws:username', ['bob', 'alice'], { 'aws:username': 'alice' }), false);
    assert.equal(holds('StringNotEquals', 'aws:username', 'bob', {}), true);
  });

  it('StringEqualsIgnoreCase and its negation fold case', () => {
    assert.equal(holds('StringEqualsIgnoreCase', 'aws:ResourceTag/env', 'PROD', { 'aws:ResourceTag/env': 'prod' }), true);
    assert.equal(holds('StringNotEqualsIgnoreCase', 'aws:ResourceTag/env', 'PROD', { 'aws:ResourceTag/env': 'prod' }), false);
  });

  it('StringLike and StringNotLike take * and ? wildcards', () => {
    assert.equal(holds('StringLike', 'aws:userid', 'AIDA*', { 'aws:userid': 'AIDAEXAMPLE' }), true);
    assert.equal(holds('StringLike', 'aws:userid', 'AID?', { 'aws:userid': 'AIDAEXAMPLE' }), false);
    assert.equal(holds('StringNotLike', 'aws:userid', 'AIDA*', { 'aws:userid': 'AROAEXAMPLE:session' }), true);
  });

  it('reads condition key names case-insensitively', () => {
    assert.equal(holds('StringEquals', 'AWS:USERNAME', 'alice', { 'aws:username': 'alice' }), true);
  });
});

describe('numeric and date operators', () => {
  it('compares numbers, and never matches what is not one', () => {
    assert.equal(holds('NumericLessThan', 'aws:EpochTime', '200', { 'aws:EpochTime': 100 }), true);
    assert.equal(holds('NumericLessThanEquals', 'aws:EpochTime', '100', { 'aws:EpochTime': 100 }), true);
    assert.equal(holds('NumericGreaterThan', 'aws:EpochTime', '100', { 'aws:EpochTime': 100 }), false);
    assert.equal(holds('NumericGreaterThanEquals', 'aws:EpochTime', '100.0', { 'aws:EpochTime': 100 }), true);
    assert.equal(holds('NumericEquals', 'k', '1e2', { k: '100' }), true);
    assert.equal(holds('NumericNotEquals', 'k', '5', { k: '100' }), true);
    assert.equal(holds('NumericEquals', 'k', 'ten', { k: '10' }), false);
    assert.equal(holds('NumericLessThan', 'k', '10', { k: 'abc' }), false);
  });

  it('compares ISO 8601 dates and epoch seconds with each other', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    assert.equal(holds('DateLessThan', 'aws:CurrentTime', '2026-06-01T00:00:00Z', { 'aws:CurrentTime': now }), true);
    assert.equal(holds('DateGreaterThan', 'aws:CurrentTime', '2026-06-01', { 'aws:CurrentTime': now }), false);
    assert.equal(holds('DateGreaterThanEquals', 'aws:CurrentTime', String(now.getTime() / 1000), { 'aws:CurrentTime': now }), true);
    assert.equal(holds('DateLessThanEquals', 'aws:EpochTime', '2026-03-01T12:00:00Z', { 'aws:EpochTime': now.getTime() / 1000 }), true);
    assert.equal(holds('DateEquals', 'aws:CurrentTime', '2026-03-01T12:00:00.000Z', { 'aws:CurrentTime': now }), true);
    assert.equal(holds('DateNotEquals', 'aws:CurrentTime', '2026-03-01T12:00:00Z', { 'aws:CurrentTime': now }), false);
    assert.equal(holds('DateLessThan', 'aws:CurrentTime', 'next tuesday', { 'aws:CurrentTime': now }), false);
  });
});

describe('Bool, Null, IP addresses and ARNs', () => {
  it('Bool compares true and false case-insensitively', () => {
    assert.equal(holds('Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': true }), true);
    assert.equal(holds('Bool', 'aws:SecureTransport', 'TRUE', { 'aws:SecureTransport': 'True' }), true);
    assert.equal(holds('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': true }), false);
    assert.equal(holds('Bool', 'aws:SecureTransport', 'yes', { 'aws:SecureTransport': true }), false);
  });

  it('Null true holds for an absent key, false for a present one', () => {
    assert.equal(holds('Null', 'aws:ResourceTag/team', 'true', {}), true);
    assert.equal(holds('Null', 'aws:ResourceTag/team', 'true', { 'aws:ResourceTag/team': 'a' }), false);
    assert.equal(holds('Null', 'aws:ResourceTag/team', 'false', { 'aws:ResourceTag/team': 'a' }), true);
    assert.equal(holds('Null', 'aws:TagKeys', 'true', { 'aws:TagKeys': [] }), true, 'an empty set is absent');
  });

  it('IpAddress and NotIpAddress take IPv4 and IPv6 CIDRs and plain addresses', () => {
    assert.equal(holds('IpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:SourceIp': '203.0.113.77' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:SourceIp': '203.0.114.1' }), false);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '10.0.0.1', { 'aws:SourceIp': '10.0.0.1' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '0.0.0.0/0', { 'aws:SourceIp': '198.51.100.1' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:SourceIp': '2001:db8:1234::1' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:SourceIp': '2001:db9::1' }), false);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '::1/128', { 'aws:SourceIp': '::1' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '127.0.0.0/8', { 'aws:SourceIp': '::ffff:127.0.0.1' }), true, 'IPv4-mapped IPv6 is IPv4');
    assert.equal(holds('IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '2001:db8::1' }), false);
    assert.equal(holds('NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8', '192.168.0.0/16'], { 'aws:SourceIp': '203.0.113.1' }), true);
    assert.equal(holds('NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8', '192.168.0.0/16'], { 'aws:SourceIp': '10.1.2.3' }), false);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '10.0.0.0/33', { 'aws:SourceIp': '10.0.0.1' }), false, 'a bad CIDR matches nothing');
    assert.equal(holds('IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': 'not-an-ip' }), false);
  });

  it('ArnEquals and ArnLike match each ARN part with wildcards; the Not forms negate', () => {
    const arn = 'arn:aws:iam::123456789012:role/path/reader';
    assert.equal(holds('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/*', { 'aws:PrincipalArn': arn }), true);
    assert.equal(holds('ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::123456789012:role/path/*', { 'aws:PrincipalArn': arn }), true);
    assert.equal(holds('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:user/*', { 'aws:PrincipalArn': arn }), false);
    assert.equal(holds('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::123456789012:*', { 'aws:PrincipalArn': arn }), true);
    assert.equal(holds('ArnLike', 'aws:PrincipalArn', '*', { 'aws:PrincipalArn': arn }), false, 'not an ARN pattern');
    assert.equal(holds('ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:user/*', { 'aws:PrincipalArn': arn }), true);
    assert.equal(holds('ArnNotEquals', 'aws:PrincipalArn', arn, { 'aws:PrincipalArn': arn }), false);
  });
});

describe('IfExists and set qualifiers', () => {
  it('...IfExists holds when the key is absent and otherwise acts as the operator', () => {
    assert.equal(holds('StringEqualsIfExists', 'aws:ResourceTag/env', 'prod', {}), true);
    assert.equal(holds('StringEqualsIfExists', 'aws:ResourceTag/env', 'prod', { 'aws:ResourceTag/env': 'dev' }), false);
    assert.equal(holds('NumericLessThanIfExists', 'k', '5', { k: 3 }), true);
    assert.equal(holds('IpAddressIfExists', 'aws:SourceIp', '10.0.0.0/8', {}), true);
  });

  it('ForAnyValue holds when some request value matches; false for an absent key', () => {
    const tags = { 'aws:TagKeys': ['team', 'cost-center'] };
    assert.equal(holds('ForAnyValue:StringEquals', 'aws:TagKeys', ['team', 'env'], tags), true);
    assert.equal(holds('ForAnyValue:StringEquals', 'aws:TagKeys', ['env'], tags), false);
    assert.equal(holds('ForAnyValue:StringEquals', 'aws:TagKeys', ['env'], {}), false);
    assert.equal(holds('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['team'], tags), true, 'cost-center is not team');
    assert.equal(holds('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['team', 'cost-center'], tags), false);
  });

  it('ForAllValues holds when every request value matches; true for an absent or empty key', () => {
    const tags = { 'aws:TagKeys': ['team', 'cost-center'] };
    assert.equal(holds('ForAllValues:StringEquals', 'aws:TagKeys', ['team', 'cost-center', 'env'], tags), true);
    assert.equal(holds('ForAllValues:StringEquals', 'aws:TagKeys', ['team'], tags), false);
    assert.equal(holds('ForAllValues:StringEquals', 'aws:TagKeys', ['team'], {}), true);
    assert.equal(holds('ForAllValues:StringLike', 'aws:TagKeys', ['t*', 'c*'], tags), true);
    assert.equal(holds('ForAllValues:StringNotEquals', 'aws:TagKeys', ['env', 'owner'], tags), true);
    assert.equal(holds('ForAllValues:StringNotEquals', 'aws:TagKeys', ['team'], tags), false);
  });

  it('treats a multi-valued key without a qualifier as any of its values', () => {
    assert.equal(holds('StringEquals', 'aws:TagKeys', 'team', { 'aws:TagKeys': ['a', 'team'] }), true);
    assert.equal(holds('StringNotEquals', 'aws:TagKeys', 'team', { 'aws:TagKeys': ['a', 'team'] }), false);
  });
});

describe('whole conditions', () => {
  it('AND-s operators and keys', () => {
    const condition = compileCondition(
      [
        { operator: 'StringEquals', key: 'aws:username', values: ['alice'] },
        { operator: 'IpAddress', key: 'aws:SourceIp', values: ['10.0.0.0/8'] },
        { operator: 'Bool', key: 'aws:SecureTransport', values: ['true'] },
      ],
      true,
    );
    const base = { 'aws:username': 'alice', 'aws:SourceIp': '10.1.1.1', 'aws:SecureTransport': true };
    assert.equal(condition(ConditionContext.from(base)), true);
    assert.equal(condition(ConditionContext.from({ ...base, 'aws:SourceIp': '11.1.1.1' })), false);
    assert.equal(condition(ConditionContext.from({ ...base, 'aws:SecureTransport': false })), false);
    assert.equal(compileCondition([], true)(ConditionContext.empty), true, 'no condition always holds');
  });

  it('substitutes policy variables in values when the policy has them, and not otherwise', () => {
    const context = { 'aws:PrincipalAccount': '123456789012', 'aws:ResourceAccount': '123456789012' };
    assert.equal(holds('StringEquals', 'aws:ResourceAccount', '${aws:PrincipalAccount}', context), true);
    assert.equal(holds('StringEquals', 'aws:ResourceAccount', '${aws:PrincipalAccount}', context, false), false);
    assert.equal(holds('StringEquals', 'aws:ResourceAccount', '${aws:Missing}', context), false, 'an unresolved value matches nothing');
    assert.equal(holds('StringNotEquals', 'aws:ResourceAccount', '${aws:Missing}', context), true);
    assert.equal(holds('StringLike', 'k', 'a-${aws:username}-*', { k: 'a-bob-1', 'aws:username': 'bob' }), true);
    assert.equal(holds('StringLike', 'k', 'a-${aws:username}', { k: 'a-bob', 'aws:username': 'b*' }), false, 'the value is literal');
    assert.equal(holds('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::${aws:PrincipalAccount}:user/*', { ...context, 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/a' }), true);
  });

  it('never holds for an operator IAM does not define, nor throws', () => {
    assert.equal(holds('StringSortOf', 'aws:username', 'alice', { 'aws:username': 'alice' }), false);
    assert.equal(holds('ForAnyValue:Nope', 'aws:TagKeys', 'a', { 'aws:TagKeys': ['a'] }), false);
    assert.equal(holds('BinaryEquals', 'k', 'QUJD', { k: 'QUJD' }), false);
    assert.equal(isKnownConditionOperator('ForAllValues:StringLikeIfExists'), true);
    assert.equal(isKnownConditionOperator('Null'), true);
    assert.equal(isKnownConditionOperator('StringSortOf'), false);
  });
});
