import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStorage, type Storage, type StoredRecord } from '@riffle/storage';
import { Engine, FakeClock, Keyring, KINESIS_LIMITS, type KeyringNeed, type SubscriptionEvent } from '@riffle/engine';
import { assertEngineError, bytes, startEngine, testConfig, testKeyring, TEST_KEY_ID } from './engine-fixture.js';
import { linesIn, s3Channel, startChannelEngine } from './channel-fixture.js';

const SHARD = 'shardId-000000000000';
const OWN = `${testConfig.region}:${testConfig.accountId}`;
const text = (data: Uint8Array) => Buffer.from(data).toString('utf8');

async function readAll(engine: Engine, stream = 's', shardId = SHARD) {
  let iterator: string | undefined = await engine.getShardIterator(stream, shardId, 'TRIM_HORIZON');
  const records = [];
  for (let calls = 0; iterator !== undefined && calls < 100; calls++) {
    const result = await engine.getRecords(iterator);
    records.push(...result.records);
    if (result.records.length === 0) break;
    iterator = result.nextShardIterator;
  }
  return records;
}

/** What the shard log holds, as stored (encrypted records stay encrypted). */
async function storedRecords(storage: Storage, streamKey: string): Promise<StoredRecord[]> {
  const log = await storage.openShardLog(streamKey, SHARD);
  return log.read(0, { maxRecords: 10_000, maxBytes: Number.MAX_SAFE_INTEGER });
}

const contains = (data: Uint8Array, marker: string) => Buffer.from(data).includes(Buffer.from(marker, 'utf8'));

describe('encryption at rest', () => {
  it('stores records encrypted after StartStreamEncryption and reads them back across Start, Stop and Start with another key', async () => {
    const { engine, storage } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const streamKey = (await storage.metadata.load()).streams[0]!.streamKey;
    const put = (n: number, explicitHashKey?: string) =>
      engine.putRecord('s', { data: bytes(`data-${n}-MARK`), partitionKey: `key-${n}-MARK-é`, ...(explicitHashKey === undefined ? {} : { explicitHashKey }) });

    await put(0);
    await engine.startStreamEncryption('s', 'KMS', 'alias/aws/kinesis');
    await put(1);
    await put(2, '42');
    await engine.putRecords('s', [
      { data: bytes('data-3-MARK'), partitionKey: 'key-3-MARK-é' },
      { data: new Uint8Array(), partitionKey: 'key-4-MARK-é' },
    ]);
    await engine.stopStreamEncryption('s', 'KMS', 'alias/aws/kinesis');
    await put(5);
    await engine.startStreamEncryption('s', 'KMS', 'alias/orders');
    await put(6);

    const records = await readAll(engine);
    assert.deepEqual(
      records.map((record) => [record.partitionKey, text(record.data), record.encryptionType]),
      [
        ['key-0-MARK-é', 'data-0-MARK', 'NONE'],
        ['key-1-MARK-é', 'data-1-MARK', 'KMS'],
        ['key-2-MARK-é', 'data-2-MARK', 'KMS'],
        ['key-3-MARK-é', 'data-3-MARK', 'KMS'],
        ['key-4-MARK-é', '', 'KMS'],
        ['key-5-MARK-é', 'data-5-MARK', 'NONE'],
        ['key-6-MARK-é', 'data-6-MARK', 'KMS'],
      ],
    );

    // On the log: no key, no marker, and the plaintext size for budgets; the plain records as they were.
    const stored = await storedRecords(storage, streamKey);
    const encrypted = [1, 2, 3, 4, 6];
    for (const [offset, record] of stored.entries()) {
      const isEncrypted = encrypted.includes(offset);
      assert.equal(contains(record.data, 'MARK') || record.partitionKey.includes('MARK'), !isEncrypted, `record ${offset}`);
      assert.equal(record.plainSize, isEncrypted ? Buffer.byteLength(records[offset]!.partitionKey) + records[offset]!.data.byteLength : undefined);
      if (isEncrypted) assert.deepEqual([record.partitionKey, record.explicitHashKey], ['', undefined]);
    }

    // One data key per KMS key, each wrapped; each change names the one it encrypts with.
    const metadata = await storage.metadata.load();
    assert.deepEqual(
      metadata.dataKeys.map((key) => [key.id, key.kmsKeyArn]),
      [
        [1, `arn:aws:kms:${OWN}:alias/aws/kinesis`],
        [2, `arn:aws:kms:${OWN}:key/${TEST_KEY_ID}`],
      ],
    );
    assert.deepEqual(
      metadata.streams[0]!.encryptionHistory!.map((change) => [change.type, change.keyId, change.dataKeyId]),
      [
        ['KMS', 'alias/aws/kinesis', 1],
        ['NONE', undefined, undefined],
        ['KMS', 'alias/orders', 2],
      ],
    );
  });

  it('uses one data key per KMS key, however it is named, and the same after a restart', async () => {
    const { engine, storage, clock } = await startEngine();
    await engine.createStream({ name: 'a', shardCount: 1, mode: 'PROVISIONED' });
    await engine.createStream({ name: 'b', shardCount: 1, mode: 'PROVISIONED' });
    await engine.startStreamEncryption('a', 'KMS', TEST_KEY_ID);
    await engine.startStreamEncryption('b', 'KMS', `arn:aws:kms:${OWN}:alias/orders`);
    await engine.putRecord('a', { data: bytes('in a'), partitionKey: 'p' });
    await engine.close();

    const reopened = await Engine.open({ storage, clock, config: testConfig, keyring: () => testKeyring });
    await reopened.stopStreamEncryption('a', 'KMS', TEST_KEY_ID);
    await reopened.startStreamEncryption('a', 'KMS', `arn:aws:kms:${OWN}:key/${TEST_KEY_ID.toUpperCase()}`);
    await reopened.putRecord('a', { data: bytes('in a again'), partitionKey: 'p' });
    await reopened.putRecord('b', { data: bytes('in b'), partitionKey: 'p' });
    assert.deepEqual((await readAll(reopened, 'a')).map((record) => text(record.data)), ['in a', 'in a again']);
    assert.deepEqual((await readAll(reopened, 'b')).map((record) => text(record.data)), ['in b']);
    assert.equal((await storage.metadata.load()).dataKeys.length, 1);
    await reopened.close();
  });

  it('refuses to open with another master key, saying so, and opens again with the right one', async () => {
    const { engine, storage, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.startStreamEncryption('s', 'KMS', 'alias/aws/kinesis');
    await engine.putRecord('s', { data: bytes('secret'), partitionKey: 'p' });
    await engine.close();

    const other = Keyring.generate();
    await assert.rejects(
      Engine.open({ storage, clock, config: testConfig, keyring: () => other }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'RIFFLE_ERR_MASTER_KEY');
        assert.match(error.message, /does not open data key 1 .*encrypted under another master key/);
        return true;
      },
    );
    const right = await Engine.open({ storage, clock, config: testConfig, keyring: () => testKeyring });
    assert.deepEqual((await readAll(right)).map((record) => text(record.data)), ['secret']);
    await right.close();
  });

  it('asks for the keyring only when encryption needs it', async () => {
    const needs: string[] = [];
    const storage = createMemoryStorage();
    const keyring = (need: KeyringNeed) => {
      needs.push(need);
      return testKeyring;
    };
    const engine = await Engine.open({ storage, clock: new FakeClock(), config: testConfig, keyring });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.putRecord('s', { data: bytes('plain'), partitionKey: 'p' });
    await readAll(engine);
    assert.deepEqual(needs, [], 'not for plain streams');
    await engine.startStreamEncryption('s', 'KMS', 'alias/aws/kinesis');
    await engine.startStreamEncryption('s', 'KMS', 'alias/orders');
    assert.deepEqual(needs, ['encrypt'], 'once');
    await engine.close();
    const reopened = await Engine.open({ storage, clock: new FakeClock(), config: testConfig, keyring });
    assert.deepEqual(needs, ['encrypt', 'read'], 'at open, to open the stored data keys');
    await reopened.close();
  });

  it('answers KMSNotFoundException for a KeyId the keyring does not have, changing nothing', async () => {
    const { engine, storage } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const unknown = '11111111-2222-4333-8444-555555555555';
    await assertEngineError(() => engine.startStreamEncryption('s', 'KMS', unknown), 'KmsKeyNotFound', {
      keyId: unknown,
      kind: 'key',
      arn: `arn:aws:kms:${OWN}:key/${unknown}`,
    });
    // The right key id in another account is another key.
    const elsewhere = `arn:aws:kms:us-east-1:999999999999:key/${TEST_KEY_ID}`;
    await assertEngineError(() => engine.startStreamEncryption('s', 'KMS', elsewhere), 'KmsKeyNotFound', { keyId: elsewhere, kind: 'key', arn: elsewhere });
    await assertEngineError(() => engine.startStreamEncryption('s', 'KMS', 'alias/missing'), 'KmsKeyNotFound', {
      keyId: 'alias/missing',
      kind: 'alias',
      arn: `arn:aws:kms:${OWN}:alias/missing`,
    });
    const managedElsewhere = 'arn:aws:kms:eu-west-1:111122223333:alias/aws/kinesis';
    await assertEngineError(() => engine.startStreamEncryption('s', 'KMS', managedElsewhere), 'KmsKeyNotFound', {
      keyId: managedElsewhere,
      kind: 'alias',
      arn: managedElsewhere,
    });
    for (const invalid of ['k', 'aws/kinesis', 'arn:aws:kms:us-east-1:111122223333:key/not-a-uuid', 'arn:aws:s3:::bucket']) {
      await assertEngineError(() => engine.startStreamEncryption('s', 'KMS', invalid), 'KmsKeyNotFound', { keyId: invalid, kind: 'invalid' });
    }
    const snapshot = await storage.metadata.load();
    assert.equal(snapshot.streams[0]!.encryptionType, 'NONE');
    assert.equal(snapshot.streams[0]!.recentChanges, undefined, 'a refused start is not one of the 25 a day');
    assert.deepEqual(snapshot.dataKeys, []);
  });

  it('fails a read of a record whose bytes were changed, instead of answering garbage', async () => {
    const { engine, storage } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.startStreamEncryption('s', 'KMS', 'alias/aws/kinesis');
    await engine.putRecord('s', { data: bytes('untouched'), partitionKey: 'p' });
    assert.equal(text((await readAll(engine))[0]!.data), 'untouched');
    const [stored] = await storedRecords(storage, (await storage.metadata.load()).streams[0]!.streamKey);
    // The memory log hands out what it holds: flip one ciphertext bit in place.
    (stored!.data as Uint8Array)[20]! ^= 1;
    await assert.rejects(readAll(engine), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'RIFFLE_ERR_RECORD_DECRYPTION');
      assert.match(error.message, /offset 0 of shard 0 .* does not authenticate/);
      assert.doesNotMatch(error.message, /untouched/);
      return true;
    });
  });

  it('counts plaintext sizes in the 10 MiB of a GetRecords call', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.startStreamEncryption('s', 'KMS', 'alias/aws/kinesis');
    // Ten records of exactly 1 MiB (data plus key): 10 MiB, all in one call; counted with their ciphertext's
    // overhead, the tenth would not fit.
    const perRecord = KINESIS_LIMITS.getRecordsMaxBytes / 10;
    for (let n = 0; n < 10; n++) await engine.putRecord('s', { data: new Uint8Array(perRecord - 2).fill(n), partitionKey: `k${n}` });
    const iterator = await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON');
    const { records } = await engine.getRecords(iterator);
    assert.equal(records.length, 10);
    assert.deepEqual(records.map((record) => record.data[0]), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('decrypts for SubscribeToShard', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.registerConsumer('s', 'reader');
    await engine.putRecord('s', { data: bytes('before'), partitionKey: 'p' });
    await engine.startStreamEncryption('s', 'KMS', 'alias/orders');
    await engine.putRecord('s', { data: bytes('after'), partitionKey: 'q' });
    const events = (await engine.subscribeToShard('s', { name: 'reader' }, SHARD, 'TRIM_HORIZON'))[Symbol.asyncIterator]();
    const first = (await events.next()).value as SubscriptionEvent;
    assert.deepEqual(
      first.records.map((record) => [record.partitionKey, text(record.data), record.encryptionType]),
      [
        ['p', 'before', 'NONE'],
        ['q', 'after', 'KMS'],
      ],
    );
    await events.return?.();
  });

  it('delivers channels the plaintext', async () => {
    const { engine, clock, objects } = await startChannelEngine();
    await engine.createStream({ name: 's', mode: 'ON_DEMAND' });
    await clock.advance(0);
    await engine.channels.create(s3Channel('c'));
    await engine.startStreamEncryption('s', 'KMS', 'alias/aws/kinesis');
    await engine.putRecords('s', [
      { data: bytes('{"n":1}'), partitionKey: 'a' },
      { data: bytes('{"n":2}'), partitionKey: 'b' },
    ]);
    await clock.advance(300_000);
    assert.deepEqual(linesIn(objects, 'my-bucket').sort(), ['{"n":1}', '{"n":2}']);
  });
});
