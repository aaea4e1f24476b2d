import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { RecordToAppend, StoredRecord } from '@riffle/storage';
import { dataKeyIdOf, RecordCipher } from './record-cipher.js';

const context = { streamKey: 's@1', shardIndex: 3, arrivalTime: 1_700_000_000_123 };
const stored = (record: RecordToAppend, offset = 0): StoredRecord => ({ ...record, offset });

describe('RecordCipher', () => {
  const cipher = new RecordCipher(258, randomBytes(32));
  const records: RecordToAppend[] = [
    { arrivalTime: context.arrivalTime, partitionKey: 'clé-ü', explicitHashKey: undefined, data: Buffer.from('hello') },
    { arrivalTime: context.arrivalTime, partitionKey: 'p', explicitHashKey: '340282366920938463463374607431768211455', data: new Uint8Array() },
  ];

  it('round-trips partition key, explicit hash key and data, and records the plaintext size', () => {
    const encrypted = cipher.encrypt(records, context);
    assert.deepEqual(encrypted.map((record) => record.plainSize), [Buffer.byteLength('clé-ü') + 5, 1]);
    assert.deepEqual(encrypted.map((record) => [record.partitionKey, record.explicitHashKey]), [['', undefined], ['', undefined]]);
    assert.deepEqual(encrypted.map((record) => dataKeyIdOf(stored(record))), [258, 258]);
    const opened = encrypted.map((record, i) => cipher.decrypt(stored(record, i), 's@1', 3));
    assert.deepEqual(
      opened.map((record) => [record.offset, record.partitionKey, record.explicitHashKey, Buffer.from(record.data).toString()]),
      [
        [0, 'clé-ü', undefined, 'hello'],
        [1, 'p', '340282366920938463463374607431768211455', ''],
      ],
    );
  });

  it('never gives two encryptions of one record the same bytes (a fresh nonce each)', () => {
    const [a] = cipher.encrypt([records[0]!], context);
    const [b] = cipher.encrypt([records[0]!], context);
    assert.notDeepEqual(Buffer.from(a!.data), Buffer.from(b!.data));
    assert.notDeepEqual(Buffer.from(a!.data).subarray(5, 17), Buffer.from(b!.data).subarray(5, 17));
  });

  it('refuses a record moved to another shard or stream, re-dated, or under another key', () => {
    const [record] = cipher.encrypt([records[0]!], context);
    assert.throws(() => cipher.decrypt(stored(record!), 's@1', 4), { code: 'RIFFLE_ERR_RECORD_DECRYPTION' });
    assert.throws(() => cipher.decrypt(stored(record!), 's@2', 3), { code: 'RIFFLE_ERR_RECORD_DECRYPTION' });
    assert.throws(() => cipher.decrypt({ ...stored(record!), arrivalTime: context.arrivalTime + 1 }, 's@1', 3), { code: 'RIFFLE_ERR_RECORD_DECRYPTION' });
    assert.throws(() => new RecordCipher(258, randomBytes(32)).decrypt(stored(record!), 's@1', 3), { code: 'RIFFLE_ERR_RECORD_DECRYPTION' });
    assert.throws(() => new RecordCipher(7, randomBytes(32)).decrypt(stored(record!), 's@1', 3), /does not name this data key/);
  });
});
