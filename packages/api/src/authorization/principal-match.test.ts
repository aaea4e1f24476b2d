import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicyDocument } from './policy-document.js';
import { compileNotPrincipal, compilePrincipal, type Caller } from './principal-match.js';

const alice: Caller = { arn: 'arn:aws:iam::111122223333:user/alice', account: '111122223333' };
const session: Caller = { arn: 'arn:aws:sts::111122223333:assumed-role/reader/job-42', account: '111122223333' };
const root: Caller = { arn: 'arn:aws:iam::111122223333:root', account: '111122223333' };
const stranger: Caller = { arn: 'arn:aws:iam::444455556666:user/mallory', account: '444455556666' };

function principalOf(value: unknown, element: 'Principal' | 'NotPrincipal' = 'Principal') {
  const document = parsePolicyDocument({ Statement: { Effect: 'Allow', [element]: value, Action: '*' } }, 'resource');
  const statement = document.statements[0]!;
  return element === 'Principal' ? compilePrincipal(statement.principal!) : compileNotPrincipal(statement.notPrincipal!);
}

describe('compilePrincipal', () => {
  it('names everyone with "*" and {"AWS": "*"}', () => {
    assert.equal(principalOf('*')(stranger), 'direct');
    assert.equal(principalOf({ AWS: '*' })(alice), 'direct');
  });

  it('tells a grant to the caller itself from a grant to its account', () => {
    assert.equal(principalOf({ AWS: alice.arn })(alice), 'direct');
    assert.equal(principalOf({ AWS: '111122223333' })(alice), 'account');
    assert.equal(principalOf({ AWS: 'arn:aws:iam::111122223333:root' })(alice), 'account');
    assert.equal(principalOf({ AWS: 'arn:aws:iam::111122223333:root' })(root), 'account');
    assert.equal(principalOf({ AWS: ['111122223333', alice.arn] })(stranger), 'none');
  });

  it('matches a role session to its role, whatever the role path', () => {
    assert.equal(principalOf({ AWS: 'arn:aws:iam::111122223333:role/team/reader' })(session), 'direct');
    assert.equal(principalOf({ AWS: 'arn:aws:iam::111122223333:role/writer' })(session), 'none');
    assert.equal(principalOf({ AWS: 'arn:aws:iam::444455556666:role/reader' })(session), 'none', 'same name, other account');
    assert.equal(principalOf({ AWS: session.arn })(session), 'direct');
  });

  it('never matches service principals to signed-in callers', () => {
    assert.equal(principalOf({ Service: 'lambda.amazonaws.com' })(alice), 'none');
  });
});

describe('compileNotPrincipal', () => {
  it('applies to everyone not listed', () => {
    assert.equal(principalOf({ AWS: alice.arn }, 'NotPrincipal')(stranger), 'direct');
  });

  it('exempts a user only when its account is listed too (IAM evaluates both)', () => {
    assert.equal(principalOf({ AWS: alice.arn }, 'NotPrincipal')(alice), 'direct');
    assert.equal(principalOf({ AWS: [alice.arn, '111122223333'] }, 'NotPrincipal')(alice), 'none');
    assert.equal(principalOf({ AWS: ['arn:aws:iam::111122223333:role/reader', '111122223333'] }, 'NotPrincipal')(session), 'none');
  });

  it('exempts an account root by its account, and nobody from "*"', () => {
    assert.equal(principalOf({ AWS: '111122223333' }, 'NotPrincipal')(root), 'none');
    assert.equal(principalOf('*', 'NotPrincipal')(stranger), 'none');
  });
});
