import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessDeniedError, accessDeniedMessage } from './access-denied.js';

const user = 'arn:aws:iam::123456789012:user/alice';
const check = { action: 'kinesis:PutRecord', resource: 'arn:aws:kinesis:us-east-1:123456789012:stream/foo' };

describe('AccessDeniedException', () => {
  it('says who, what, on which resource and why, in AWS’s words', () => {
    assert.equal(
      accessDeniedMessage(user, check, 'no-identity-policy-allows'),
      'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: kinesis:PutRecord on resource: ' +
        'arn:aws:kinesis:us-east-1:123456789012:stream/foo because no identity-based policy allows the kinesis:PutRecord action',
    );
    assert.equal(
      accessDeniedMessage(user, check, 'explicit-deny-in-identity-policy'),
      `User: ${user} is not authorized to perform: kinesis:PutRecord on resource: ${check.resource} with an explicit deny in an identity-based policy`,
    );
    assert.equal(
      accessDeniedMessage(user, check, 'explicit-deny-in-resource-policy'),
      `User: ${user} is not authorized to perform: kinesis:PutRecord on resource: ${check.resource} with an explicit deny in a resource-based policy`,
    );
    assert.equal(
      accessDeniedMessage(user, check, 'no-resource-policy-allows'),
      `User: ${user} is not authorized to perform: kinesis:PutRecord on resource: ${check.resource} because no resource-based policy allows the kinesis:PutRecord action`,
    );
  });

  it('leaves the resource out for actions without one', () => {
    assert.equal(
      accessDeniedMessage(user, { action: 'kinesis:ListStreams', resource: '*' }, 'no-identity-policy-allows'),
      `User: ${user} is not authorized to perform: kinesis:ListStreams because no identity-based policy allows the kinesis:ListStreams action`,
    );
  });

  it('is an AccessDeniedException with HTTP status 400, as Kinesis answers', () => {
    const error = accessDeniedError(user, check, 'no-identity-policy-allows');
    assert.equal(error.type, 'AccessDeniedException');
    assert.equal(error.statusCode, 400);
    assert.match(error.message, /^User: arn:aws:iam::123456789012:user\/alice is not authorized/);
  });
});
