import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeSequenceNumber, hashKeyOf, MAX_HASH_KEY, type PutRecordResult } from '@riffle/engine';
import { assertEngineError, bytes, startEngine } from './engine-fixture.js';

function shardContaining(ranges: { shardId: string; hashKeyRange: { start: bigint; end: bigint } }[], key: bigint) {
  return ranges.find((s) => s.hashKeyRange.start <= key && key <= s.hashKeyRange.end)!.shardId;
}

describe('putRecord / putRecords', () => {
  it('routes each partition key by MD5 to the shard whose range holds it', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 5, mode: 'PROVISIONED' });
    const shards = [...engine.describeStream('s').shards];
    for (let i = 0; i < 50; i++) {
      const partitionKey = `key-${i}`;
      const result = await engine.putRecord('s', { data: bytes('x'), partitionKey });
      assert.equal(result.shardId, shardContaining(shards, hashKeyOf(partitionKey)));
      assert.equal(result.encryptionType, 'NONE');
    }
  });

  it('routes any explicit hash key to exactly the shard holding it (property)', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 7, mode: 'PROVISIONED' });
    const shards = [...engine.describeStream('s').shards];
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 0n, max: MAX_HASH_KEY }), async (key) => {
        const result = await engine.putRecord('s', { data: bytes(''), partitionKey: 'p', explicitHashKey: key.toString() });
        assert.equal(result.shardId, shardContaining(shards, key));
      }),
      { numRuns: 300 },
    );
    for (const edge of [0n, MAX_HASH_KEY, shards[3]!.hashKeyRange.start, shards[3]!.hashKeyRange.end]) {
      const result = await engine.putRecord('s', { data: bytes(''), partitionKey: 'p', explicitHashKey: edge.toString() });
      assert.equal(result.shardId, shardContaining(shards, edge));
    }
  });

  it('rejects an explicit hash key outside [0, 2^128-1]', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const value = '340282366920938463463374607431768211456';
    await assertEngineError(() => engine.putRecord('s', { data: bytes('x'), partitionKey: 'k', explicitHashKey: value }), 'InvalidExplicitHashKey', {
      value,
    });
  });

  it('limits data plus partition key bytes to maxRecordSizeKiB', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const limit = 1024 * 1024;
    await engine.putRecord('s', { data: new Uint8Array(limit - 2), partitionKey: 'é' });
    await assertEngineError(() => engine.putRecord('s', { data: new Uint8Array(limit - 1), partitionKey: 'é' }), 'RecordTooLarge', {
      size: limit + 1,
      limit,
      stream: 's',
    });
    await assertEngineError(
      () => engine.putRecords('s', [{ data: bytes('ok'), partitionKey: 'k' }, { data: new Uint8Array(limit), partitionKey: 'k' }]),
      'RecordTooLarge',
    );
    const iterator = await engine.getShardIterator('s', '0', 'TRIM_HORIZON');
    assert.equal((await engine.getRecords(iterator)).records.length, 1, 'a failed batch writes nothing');
  });

  it('fails for a missing stream', async () => {
    const { engine } = await startEngine();
    await assertEngineError(() => engine.putRecords('nope', [{ data: bytes('x'), partitionKey: 'k' }]), 'StreamNotFound', {
      stream: 'nope',
    });
  });

  it('returns results in request order with sequence numbers rising per shard and decoding back', async () => {
    const { engine, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 3, mode: 'PROVISIONED' });
    const entries = Array.from({ length: 200 }, (_, i) => ({ data: bytes(String(i)), partitionKey: `pk${i % 37}` }));
    const results = (await engine.putRecords('s', entries)) as PutRecordResult[];
    assert.equal(results.length, 200);
    const lastByShard = new Map<string, bigint>();
    const countByShard = new Map<string, number>();
    const shards = [...engine.describeStream('s').shards];
    results.forEach((result, i) => {
      assert.equal(result.shardId, shardContaining(shards, hashKeyOf(entries[i]!.partitionKey)));
      const value = BigInt(result.sequenceNumber);
      const previous = lastByShard.get(result.shardId);
      if (previous !== undefined) assert.ok(previous < value);
      lastByShard.set(result.shardId, value);
      const parts = decodeSequenceNumber(result.sequenceNumber)!;
      const position = countByShard.get(result.shardId) ?? 0;
      countByShard.set(result.shardId, position + 1);
      assert.equal(`shardId-${String(parts.shardIndex).padStart(12, '0')}`, result.shardId);
      assert.equal(parts.counter, BigInt(position) + 1n);
      assert.equal(parts.writtenAt, Math.floor(clock.now() / 1000) * 1000);
    });
    // And the records read back in the same order per shard.
    for (const shard of shards) {
      const iterator = await engine.getShardIterator('s', shard.shardId, 'TRIM_HORIZON');
      const read = await engine.getRecords(iterator);
      const expected = results.filter((r) => r.shardId === shard.shardId).map((r) => r.sequenceNumber);
      assert.deepEqual(read.records.map((r) => r.sequenceNumber), expected);
      assert.ok(BigInt(shard.startingSequenceNumber) < BigInt(expected[0]!));
    }
  });

  it('keeps every record of concurrent writers to one shard, each batch contiguous', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const writers = 25;
    const perBatch = 20;
    const all = await Promise.all(
      Array.from({ length: writers }, (_, w) =>
        engine.putRecords(
          's',
          Array.from({ length: perBatch }, (_, i) => ({ data: bytes(`${w}:${i}`), partitionKey: `w${w}` })),
        ),
      ),
    );
    const sequenceNumbers = all.flat().map((r) => (r as PutRecordResult).sequenceNumber);
    assert.equal(new Set(sequenceNumbers).size, writers * perBatch);
    const iterator = await engine.getShardIterator('s', 'shardId-000000000000', 'TRIM_HORIZON');
    const read = await engine.getRecords(iterator);
    assert.equal(read.records.length, writers * perBatch);
    const texts = read.records.map((r) => new TextDecoder().decode(r.data));
    for (let w = 0; w < writers; w++) {
      const first = texts.indexOf(`${w}:0`);
      assert.deepEqual(texts.slice(first, first + perBatch), Array.from({ length: perBatch }, (_, i) => `${w}:${i}`));
    }
  });

  it('checks SequenceNumberForOrdering', async () => {
    const { engine, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const first = await engine.putRecord('s', { data: bytes('a'), partitionKey: 'k' });
    await clock.advance(1000);
    const second = await engine.putRecord('s', { data: bytes('b'), partitionKey: 'k' }, first.sequenceNumber);
    assert.ok(BigInt(second.sequenceNumber) > BigInt(first.sequenceNumber));
    await assertEngineError(() => engine.putRecord('s', { data: bytes('c'), partitionKey: 'k' }, '123'), 'InvalidSequenceNumberForOrdering', {
      value: '123',
      stream: 's',
    });
  });
});
