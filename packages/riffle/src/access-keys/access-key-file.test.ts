import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAccessKeyFile } from './access-key-file.js';
import { AccessKeysError } from './access-keys-error.js';

const FILE = '/etc/riffle/keys.json';
const GOOD = { accessKeyId: 'AKIDGOOD', secretAccessKey: 'topsecret', accountId: '111122223333' };

function refusal(document: unknown, reserved?: ReadonlySet<string>): string {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  try {
    parseAccessKeyFile(text, FILE, reserved);
  } catch (error) {
    assert.ok(error instanceof AccessKeysError);
    assert.ok(!error.message.includes('topsecret'), `a secret leaked into: ${error.message}`);
    return error.message;
  }
  throw new Error('expected the file to be refused');
}

describe('parseAccessKeyFile', () => {
  it('reads every field; absent policies mean full access, [] nothing', () => {
    const keys = parseAccessKeyFile(
      JSON.stringify({
        accessKeys: [
          GOOD,
          {
            accessKeyId: 'ASIATEMP',
            secretAccessKey: 's',
            accountId: '444455556666',
            userName: 'alice',
            sessionToken: 'tok',
            expiration: '2026-01-31T12:00:00Z',
            policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kinesis:*', Resource: '*' }] }],
          },
          { ...GOOD, accessKeyId: 'AKIDNOTHING', policies: [] },
        ],
      }),
      FILE,
    );
    assert.deepEqual(keys[0], GOOD);
    assert.deepEqual(keys[1], {
      accessKeyId: 'ASIATEMP',
      secretAccessKey: 's',
      accountId: '444455556666',
      userName: 'alice',
      sessionToken: 'tok',
      expiration: new Date('2026-01-31T12:00:00Z'),
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kinesis:*', Resource: '*' }] }],
    });
    assert.deepEqual(keys[2]!.policies, []);
    assert.deepEqual(parseAccessKeyFile('{"accessKeys": []}', FILE), []);
  });

  it('names the file and the entry of every fault', () => {
    assert.equal(refusal('[1, 2]'), `${FILE}: expected an object with an "accessKeys" array`);
    assert.equal(refusal({ accessKeys: [], keys: [] }), `${FILE}: unknown member "keys"`);
    assert.equal(refusal({ accessKeys: [GOOD, 'x'] }), `${FILE}: accessKeys[1]: expected an object`);
    assert.equal(refusal({ accessKeys: [{ ...GOOD, secretKey: 'topsecret' }] }), `${FILE}: accessKeys[0]: unknown member "secretKey"`);
    assert.equal(refusal({ accessKeys: [{ ...GOOD, accessKeyId: 'AK/ID' }] }), `${FILE}: accessKeys[0]: accessKeyId must be 1 to 128 letters, digits or underscores`);
    assert.equal(refusal({ accessKeys: [{ ...GOOD, secretAccessKey: '' }] }), `${FILE}: accessKeys[0] (AKIDGOOD): secretAccessKey must be a non-empty string`);
    assert.equal(refusal({ accessKeys: [{ ...GOOD, accountId: 111122223333 }] }), `${FILE}: accessKeys[0] (AKIDGOOD): accountId must be a string of 12 digits`);
    assert.equal(refusal({ accessKeys: [{ ...GOOD, userName: 'a b' }] }), `${FILE}: accessKeys[0] (AKIDGOOD): userName must be 1 to 64 letters, digits or +=,.@_-`);
    assert.equal(refusal({ accessKeys: [{ ...GOOD, expiration: '2026-01-01T00:00:00Z' }] }), `${FILE}: accessKeys[0] (AKIDGOOD): expiration needs a sessionToken`);
    assert.equal(
      refusal({ accessKeys: [{ ...GOOD, sessionToken: 't', expiration: 'soon' }] }),
      `${FILE}: accessKeys[0] (AKIDGOOD): expiration must be an ISO 8601 date, e.g. 2026-01-31T12:00:00Z`,
    );
    assert.equal(refusal({ accessKeys: [{ ...GOOD, policies: {} }] }), `${FILE}: accessKeys[0] (AKIDGOOD): policies must be an array of policy documents`);
    const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kinesis:*', Resource: '*' }] };
    assert.equal(refusal({ accessKeys: [{ ...GOOD, policies: [allowAll, 'Allow'] }] }), `${FILE}: accessKeys[0] (AKIDGOOD): policies[1] must be a policy document (an object)`);
    assert.equal(refusal({ accessKeys: [{ ...GOOD, policies: [{}] }] }), `${FILE}: accessKeys[0] (AKIDGOOD): policies[0]: The policy document has no Statement.`);
    assert.equal(
      refusal({ accessKeys: [{ ...GOOD, policies: [{ Statement: [{ Effect: 'Permit', Action: '*', Resource: '*' }] }] }] }),
      `${FILE}: accessKeys[0] (AKIDGOOD): policies[0]: Statement 1: Effect must be Allow or Deny.`,
    );
    assert.equal(refusal({ accessKeys: [GOOD, GOOD] }), `${FILE}: accessKeys[1]: accessKeyId AKIDGOOD is also accessKeys[0]`);
    assert.equal(refusal({ accessKeys: [GOOD] }, new Set(['AKIDGOOD'])), `${FILE}: accessKeys[0]: accessKeyId AKIDGOOD is also in RIFFLE_ACCESS_KEYS`);
  });

  it('reports bad JSON by position only: the text around it may be a secret', () => {
    assert.match(refusal('{"accessKeys": [{"secretAccessKey": topsecret}]}'), /^\/etc\/riffle\/keys\.json: not valid JSON( \(at position \d+\))?$/);
  });
});
