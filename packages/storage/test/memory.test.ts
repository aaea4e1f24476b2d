import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createMemoryStorage,
  describeMetadataStoreContract,
  describeShardLogContract,
  MemoryMetadataStore,
  MemoryShardLog,
} from '@riffle/storage';

describeShardLogContract('memory', () => new MemoryShardLog());
describeMetadataStoreContract('memory', () => new MemoryMetadataStore());

describe('createMemoryStorage', () => {
  it('returns the same log for the same stream and shard, separate logs otherwise', async () => {
    const storage = createMemoryStorage();
    const a = await storage.openShardLog('s@1', 'shardId-000000000000');
    await a.append([{ arrivalTime: 1, partitionKey: 'p', data: new Uint8Array([1]) }]);
    assert.equal(await storage.openShardLog('s@1', 'shardId-000000000000'), a);
    assert.equal((await storage.openShardLog('s@1', 'shardId-000000000001')).endOffset, 0);
    assert.equal((await storage.openShardLog('s@2', 'shardId-000000000000')).endOffset, 0);
    await storage.close();
  });

  it('deletes a stream’s logs and closes them', async () => {
    const storage = createMemoryStorage();
    const a = await storage.openShardLog('s@1', 'shardId-000000000000');
    await a.append([{ arrivalTime: 1, partitionKey: 'p', data: new Uint8Array([1]) }]);
    await storage.deleteStreamLogs('s@1');
    await assert.rejects(a.read(0, { maxRecords: 1, maxBytes: 1 }), { code: 'RIFFLE_ERR_STORAGE_CLOSED' });
    assert.equal((await storage.openShardLog('s@1', 'shardId-000000000000')).endOffset, 0);
    await storage.close();
  });
});
