import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../service-error.js';
import { checkSigV4Presence, type SigV4PresenceInput } from './sigv4-presence.js';

const VALID =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';

function rejection(input: Partial<SigV4PresenceInput>): { type: string; message: string } {
  try {
    checkSigV4Presence({ authorization: undefined, hasDateHeader: true, query: '', ...input });
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.statusCode, 400);
    return { type: error.type, message: error.message };
  }
  throw new Error('expected a rejection');
}

// Messages from kinesalite test/connection.js (captured from live AWS).
describe('checkSigV4Presence', () => {
  it('extracts the credential scope from the Authorization header', () => {
    const credentials = checkSigV4Presence({ authorization: VALID, hasDateHeader: true, query: '' });
    assert.equal(credentials.source, 'header');
    assert.equal(credentials.accessKeyId, 'AKIDEXAMPLE');
    assert.equal(credentials.scopeDate, '20150830');
    assert.equal(credentials.signingRegion, 'us-east-1');
    assert.equal(credentials.signingService, 'kinesis');
    assert.equal(credentials.signedHeaders, 'host;x-amz-date');
    assert.match(credentials.signature, /^5d672d79/);
  });

  it('extracts the credential scope from a presigned query', () => {
    const query =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Feu-west-2%2Fkinesis%2Faws4_request&X-Amz-Signature=ab&X-Amz-SignedHeaders=host&X-Amz-Date=20240101T000000Z';
    const credentials = checkSigV4Presence({ authorization: undefined, hasDateHeader: false, query });
    assert.equal(credentials.source, 'query');
    assert.equal(credentials.accessKeyId, 'AKID');
    assert.equal(credentials.signingRegion, 'eu-west-2');
  });

  it('answers MissingAuthenticationTokenException with no header and no X-Amz-Algorithm', () => {
    assert.deepEqual(rejection({ query: 'X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-SignedHeaders=c&X-Amz-Date=d' }), {
      type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  it('answers InvalidSignatureException when both header and query are present', () => {
    assert.deepEqual(rejection({ authorization: 'X', query: 'X-Amz-Algorithm' }), {
      type: 'InvalidSignatureException',
      message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    });
  });

  it('lists every missing header part, then the raw header', () => {
    assert.deepEqual(rejection({ authorization: 'X', hasDateHeader: false, query: 'X-Amz-Algorith' }), {
      type: 'IncompleteSignatureException',
      message:
        "Authorization header requires 'Credential' parameter. " +
        "Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        'Authorization=X',
    });
  });

  for (const header of ['AWS4- Signature=b Credential=a', 'AWS4- Signature=b,Credential=a', 'AWS4- Signature=b, Credential=a']) {
    it(`accepts comma and/or space separators: ${header}`, () => {
      assert.deepEqual(rejection({ authorization: header }), {
        type: 'IncompleteSignatureException',
        message: `Authorization header requires 'SignedHeaders' parameter. Authorization=${header}`,
      });
    });
  }

  it('lists every missing query parameter', () => {
    assert.deepEqual(rejection({ query: 'X-Amz-Algorithm' }), {
      type: 'IncompleteSignatureException',
      message:
        "AWS query-string parameters must include 'X-Amz-Algorithm'. " +
        "AWS query-string parameters must include 'X-Amz-Credential'. " +
        "AWS query-string parameters must include 'X-Amz-Signature'. " +
        "AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
        "AWS query-string parameters must include 'X-Amz-Date'. " +
        'Re-examine the query-string parameters.',
    });
    assert.deepEqual(rejection({ query: 'X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-Date=d' }), {
      type: 'IncompleteSignatureException',
      message: "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
    });
  });
});
