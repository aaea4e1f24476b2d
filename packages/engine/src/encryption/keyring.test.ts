import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMasterKey, Keyring } from './keyring.js';

const MASTER = Buffer.alloc(32, 1).toString('base64');
const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const scope = { region: 'us-east-1', accountId: '123456789012' };

describe('Keyring', () => {
  it('parses a keyring file and resolves every KeyId form to one canonical ARN', () => {
    const keyring = Keyring.parse(JSON.stringify({ masterKey: MASTER, keys: [{ keyId: KEY, aliases: ['alias/orders', 'alias/team/b'] }] }));
    const arn = `arn:aws:kms:us-east-1:123456789012:key/${KEY}`;
    for (const keyId of [KEY, KEY.toUpperCase(), arn, 'alias/orders', 'alias/team/b', 'arn:aws:kms:us-east-1:123456789012:alias/orders']) {
      assert.deepEqual(keyring.resolve(keyId, scope), { found: true, kmsKeyArn: arn }, keyId);
    }
    const managed = 'arn:aws:kms:us-east-1:123456789012:alias/aws/kinesis';
    assert.deepEqual(keyring.resolve('alias/aws/kinesis', scope), { found: true, kmsKeyArn: managed });
    assert.deepEqual(keyring.resolve(managed, scope), { found: true, kmsKeyArn: managed });
  });

  it('keeps a key of another region or account to its ARN', () => {
    const arn = `arn:aws:kms:eu-west-1:210987654321:key/${KEY}`;
    const keyring = Keyring.parse(JSON.stringify({ masterKey: MASTER, keys: [{ keyId: KEY, aliases: ['alias/far'], arn }] }));
    assert.deepEqual(keyring.resolve(arn, scope), { found: true, kmsKeyArn: arn });
    assert.deepEqual(keyring.resolve('arn:aws:kms:eu-west-1:210987654321:alias/far', scope), { found: true, kmsKeyArn: arn });
    assert.deepEqual(keyring.resolve(KEY, scope), { found: false, kind: 'key', arn: `arn:aws:kms:us-east-1:123456789012:key/${KEY}` });
    assert.deepEqual(keyring.resolve('alias/far', scope), { found: false, kind: 'alias', arn: 'arn:aws:kms:us-east-1:123456789012:alias/far' });
  });

  it('refuses keyring files it cannot use, without quoting the master key', () => {
    const refusals: Array<[unknown, RegExp]> = [
      ['not json', /is not JSON/],
      [[], /must be a JSON object/],
      [{}, /needs "masterKey"/],
      [{ masterKey: Buffer.alloc(16, 1).toString('base64') }, /needs "masterKey"/],
      [{ masterKey: 'not base64!' }, /needs "masterKey"/],
      [{ masterKey: MASTER, keys: {} }, /"keys" must be a list/],
      [{ masterKey: MASTER, keys: [{ keyId: 'orders' }] }, /keys\[0\]\.keyId must be a key id/],
      [{ masterKey: MASTER, keys: [{ keyId: KEY, aliases: ['orders'] }] }, /keys\[0\]\.aliases must be a list of alias\/NAME/],
      [{ masterKey: MASTER, keys: [{ keyId: KEY, aliases: ['alias/aws/mine'] }] }, /alias\/aws\/ names are AWS's/],
      [{ masterKey: MASTER, keys: [{ keyId: KEY, arn: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000' }] }, /arn must be the key ARN/],
      [{ masterKey: MASTER, keys: [{ keyId: KEY }, { keyId: KEY }] }, /names 1234abcd-12ab-34cd-56ef-1234567890ab twice/],
      [{ masterKey: MASTER, keys: [{ keyId: KEY, aliases: ['alias/a'] }, { keyId: '00000000-0000-4000-8000-000000000000', aliases: ['alias/a'] }] }, /names alias\/a twice/],
    ];
    for (const [json, message] of refusals) {
      assert.throws(
        () => Keyring.parse(typeof json === 'string' ? json : JSON.stringify(json)),
        (error: Error & { code?: string }) => error.code === 'RIFFLE_ERR_KEYRING' && message.test(error.message) && !error.message.includes(MASTER),
        String(message),
      );
    }
  });

  it('writes a file it parses back to the same keys', () => {
    const keyring = Keyring.generate();
    const text = keyring.toFileText();
    const again = Keyring.parse(text);
    const record = { id: 3, kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:alias/aws/kinesis', wrapped: keyring.wrapDataKey(3, 'arn:aws:kms:us-east-1:123456789012:alias/aws/kinesis', Buffer.alloc(32, 9)), createdAt: 0 };
    assert.deepEqual(again.unwrapDataKey(record), Buffer.alloc(32, 9));
    assert.equal(JSON.parse(text).format, 'riffle-keyring');
  });

  it('unwraps a data key only with its master key, id and KMS key', () => {
    const keyring = Keyring.generate();
    const arn = 'arn:aws:kms:us-east-1:123456789012:alias/aws/kinesis';
    const record = { id: 1, kmsKeyArn: arn, wrapped: keyring.wrapDataKey(1, arn, Buffer.alloc(32, 5)), createdAt: 0 };
    assert.deepEqual(keyring.unwrapDataKey(record), Buffer.alloc(32, 5));
    assert.throws(() => Keyring.generate().unwrapDataKey(record), { code: 'RIFFLE_ERR_MASTER_KEY' });
    assert.throws(() => keyring.unwrapDataKey({ ...record, id: 2 }), { code: 'RIFFLE_ERR_MASTER_KEY' });
    assert.throws(() => keyring.unwrapDataKey({ ...record, kmsKeyArn: `${arn}x` }), { code: 'RIFFLE_ERR_MASTER_KEY' });
  });

  it('takes a master key as the base64 of exactly 32 bytes', () => {
    assert.deepEqual(decodeMasterKey(` ${MASTER}\n`), Buffer.alloc(32, 1));
    assert.equal(decodeMasterKey(Buffer.alloc(31).toString('base64')), undefined);
    assert.equal(decodeMasterKey('%%%%'), undefined);
    assert.throws(() => new Keyring(Buffer.alloc(31)), { code: 'RIFFLE_ERR_KEYRING' });
  });
});
