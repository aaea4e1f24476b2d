import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidPolicyDocumentError, parsePolicyDocument, policyDocumentProblem } from './policy-document.js';

const streamArn = 'arn:aws:kinesis:us-east-1:123456789012:stream/orders';

describe('parsePolicyDocument', () => {
  it('normalizes strings and arrays to arrays, for identity-based policies', () => {
    const document = parsePolicyDocument(
      {
        Version: '2012-10-17',
        Statement: { Sid: 'Write', Effect: 'Allow', Action: 'kinesis:PutRecord', Resource: [streamArn, 'arn:aws:kinesis:*:*:stream/x-*'] },
      },
      'identity',
    );
    assert.equal(document.version, '2012-10-17');
    assert.deepEqual(document.statements, [
      {
        sid: 'Write',
        effect: 'Allow',
        action: ['kinesis:PutRecord'],
        notAction: undefined,
        resource: [streamArn, 'arn:aws:kinesis:*:*:stream/x-*'],
        notResource: undefined,
        principal: undefined,
        notPrincipal: undefined,
        condition: [],
      },
    ]);
  });

  it('reads JSON text, and takes 2008-10-17 when Version is absent', () => {
    const document = parsePolicyDocument(JSON.stringify({ Statement: [{ Effect: 'Deny', NotAction: 'kinesis:Get*', NotResource: '*' }] }), 'identity');
    assert.equal(document.version, '2008-10-17');
    assert.deepEqual(document.statements[0]!.notAction, ['kinesis:Get*']);
    assert.deepEqual(document.statements[0]!.notResource, ['*']);
  });

  it('reads every principal form of a resource-based policy', () => {
    const document = parsePolicyDocument(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'kinesis:*', Resource: streamArn },
          {
            Effect: 'Allow',
            Principal: {
              AWS: ['111122223333', 'arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:role/path/reader'],
            },
            Action: ['kinesis:GetRecords', 'kinesis:GetShardIterator'],
            Resource: streamArn,
          },
          { Effect: 'Deny', NotPrincipal: { AWS: '*' }, Action: 'kinesis:PutRecord' },
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'kinesis:GetRecords', Resource: streamArn },
        ],
      },
      'resource',
    );
    assert.equal(document.statements[0]!.principal!.everyone, true);
    assert.deepEqual(document.statements[1]!.principal!.aws.length, 4);
    assert.equal(document.statements[1]!.principal!.everyone, false);
    assert.equal(document.statements[2]!.notPrincipal!.everyone, true);
    assert.equal(document.statements[2]!.resource, undefined, 'a resource-based statement may leave Resource out');
    assert.deepEqual(document.statements[3]!.principal!.service, ['lambda.amazonaws.com']);
  });

  it('flattens conditions into operator, key and values, with numbers and booleans as text', () => {
    const document = parsePolicyDocument(
      {
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: {
            Bool: { 'aws:SecureTransport': true },
            NumericLessThan: { 'aws:EpochTime': 1700000000, 'aws:MultiFactorAuthAge': ['3600'] },
            'ForAnyValue:StringLike': { 'aws:TagKeys': ['team*', 'env'] },
          },
        },
      },
      'identity',
    );
    assert.deepEqual(document.statements[0]!.condition, [
      { operator: 'Bool', key: 'aws:SecureTransport', values: ['true'] },
      { operator: 'NumericLessThan', key: 'aws:EpochTime', values: ['1700000000'] },
      { operator: 'NumericLessThan', key: 'aws:MultiFactorAuthAge', values: ['3600'] },
      { operator: 'ForAnyValue:StringLike', key: 'aws:TagKeys', values: ['team*', 'env'] },
    ]);
  });

  const refusals: [string, unknown, 'identity' | 'resource', RegExp][] = [
    ['not JSON', '{"Statement": [', 'identity', /not valid JSON/],
    ['not an object', '[1]', 'identity', /must be a JSON object/],
    ['an unknown top-level element', { Statement: [], Foo: 1 }, 'identity', /Unknown policy element Foo/],
    ['a bad Version', { Version: '2020-01-01', Statement: [] }, 'identity', /Version must be/],
    ['no Statement', { Version: '2012-10-17' }, 'identity', /no Statement/],
    ['a statement that is no object', { Statement: ['x'] }, 'identity', /Statement 1: a statement must be a JSON object/],
    ['a bad Effect', { Statement: { Effect: 'allow', Action: '*', Resource: '*' } }, 'identity', /Statement 1: Effect must be Allow or Deny/],
    ['both Action and NotAction', { Statement: { Effect: 'Allow', Action: '*', NotAction: '*', Resource: '*' } }, 'identity', /exactly one of Action or NotAction/],
    ['no Action', { Statement: { Effect: 'Allow', Resource: '*' } }, 'identity', /exactly one of Action or NotAction/],
    ['an empty Action array', { Statement: { Effect: 'Allow', Action: [], Resource: '*' } }, 'identity', /Action must be a string or a non-empty array/],
    ['an action without a service', { Statement: { Effect: 'Allow', Action: 'PutRecord', Resource: '*' } }, 'identity', /PutRecord is not an action/],
    ['a resource that is no ARN', { Statement: { Effect: 'Allow', Action: '*', Resource: 'orders' } }, 'identity', /orders is not a resource/],
    ['no Resource in an identity policy', { Statement: { Effect: 'Allow', Action: '*' } }, 'identity', /exactly one of Resource or NotResource/],
    ['a Principal in an identity policy', { Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' } }, 'identity', /cannot name a Principal/],
    ['no Principal in a resource policy', { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, 'resource', /needs exactly one of Principal or NotPrincipal/],
    ['a bad account principal', { Statement: { Effect: 'Allow', Principal: { AWS: '1234' }, Action: '*' } }, 'resource', /invalid principal "1234"/],
    ['a wildcard inside a principal ARN', { Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/*' }, Action: '*' } }, 'resource', /invalid principal/],
    ['an unknown principal type', { Statement: { Effect: 'Allow', Principal: { Users: 'x' }, Action: '*' } }, 'resource', /Users is not a principal type/],
    ['a Principal string other than *', { Statement: { Effect: 'Allow', Principal: '123456789012', Action: '*' } }, 'resource', /Principal must be "\*" or an object/],
    ['a condition that is no object', { Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: [] } }, 'identity', /Condition must be an object/],
    ['a condition value that is an object', { Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { k: { a: 1 } } } } }, 'identity', /Condition StringEquals k must be/],
    ['a null condition value', { Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { k: null } } } }, 'identity', /Condition StringEquals k must be/],
    ['repeated Sids', { Statement: [{ Sid: 'a', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'a', Effect: 'Deny', Action: '*', Resource: '*' }] }, 'identity', /a is repeated/],
    ['an unknown statement element', { Statement: { Effect: 'Allow', Action: '*', Resource: '*', Actions: '*' } }, 'identity', /unknown element Actions/],
  ];
  for (const [what, source, kind, reason] of refusals) {
    it(`refuses ${what} with a clear reason`, () => {
      assert.throws(() => parsePolicyDocument(source, kind), (error: unknown) => {
        assert.ok(error instanceof InvalidPolicyDocumentError);
        assert.match(error.reason, reason);
        return true;
      });
      assert.match(policyDocumentProblem(source, kind)!, reason);
    });
  }

  it('numbers statements from 1 in its reasons', () => {
    const problem = policyDocumentProblem({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Maybe', Action: '*', Resource: '*' }] }, 'identity');
    assert.match(problem!, /^Statement 2: /);
  });

  it('never throws anything but InvalidPolicyDocumentError, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.json(), fc.string()), fc.constantFrom('identity' as const, 'resource' as const), (source, kind) => {
        try {
          parsePolicyDocument(source, kind);
        } catch (error) {
          assert.ok(error instanceof InvalidPolicyDocumentError, String(error));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
