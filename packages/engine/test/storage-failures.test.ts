import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStorage, type ShardLog, type Storage } from '@riffle/storage';
import { Engine, FakeClock } from '@riffle/engine';
import { bytes, testConfig } from './engine-fixture.js';

/** Memory storage whose logs for the named shards refuse every append, as a full or broken disk would. */
function storageFailingShards(failing: Set<string>): Storage {
  const inner = createMemoryStorage();
  return {
    ...inner,
    metadata: inner.metadata,
    async openShardLog(streamKey, shardId) {
      const log = await inner.openShardLog(streamKey, shardId);
      if (!failing.has(shardId)) return log;
      return new Proxy(log, {
        get(target, property, receiver) {
          if (property === 'append') return () => Promise.reject(Object.assign(new Error('ENOSPC'), { code: 'RIFFLE_ERR_STORAGE_IO' }));
          const value = Reflect.get(target, property, receiver) as unknown;
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      }) as ShardLog;
    },
  };
}

describe('storage failures', () => {
  it('PutRecords answers per entry when some shards fail, and fails whole when all do', async () => {
    const failing = new Set(['shardId-000000000001']);
    const engine = await Engine.open({ storage: storageFailingShards(failing), clock: new FakeClock(), config: testConfig });
    await engine.createStream({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    const lowHalf = '0';
    const highHalf = (2n ** 127n + 5n).toString();
    const results = await engine.putRecords('s', [
      { data: bytes('a'), partitionKey: 'k', explicitHashKey: lowHalf },
      { data: bytes('b'), partitionKey: 'k', explicitHashKey: highHalf },
      { data: bytes('c'), partitionKey: 'k', explicitHashKey: lowHalf },
    ]);
    assert.equal((results[0] as { shardId: string }).shardId, 'shardId-000000000000');
    assert.deepEqual(results[1], { errorCode: 'InternalFailure' });
    assert.equal((results[2] as { shardId: string }).shardId, 'shardId-000000000000');
    await assert.rejects(engine.putRecords('s', [{ data: bytes('d'), partitionKey: 'k', explicitHashKey: highHalf }]), { code: 'RIFFLE_ERR_STORAGE_IO' });
    await assert.rejects(engine.putRecord('s', { data: bytes('e'), partitionKey: 'k', explicitHashKey: highHalf }), { code: 'RIFFLE_ERR_STORAGE_IO' });
    // The shard that works kept exactly what it acknowledged.
    const iterator = await engine.getShardIterator('s', 'shardId-000000000000', 'TRIM_HORIZON');
    const stored = (await engine.getRecords(iterator)).records.map((record) => new TextDecoder().decode(record.data));
    assert.deepEqual(stored, ['a', 'c']);
    await engine.close();
  });
});
