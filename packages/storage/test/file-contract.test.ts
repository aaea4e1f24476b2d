import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { describeMetadataStoreContract, describeShardLogContract, openFileStorage, type FileStorage } from '@riffle/storage';

const root = mkdtempSync(join(tmpdir(), 'riffle-file-contract-'));
const open: FileStorage[] = [];
let count = 0;

async function freshStorage(options: { segmentBytes?: number; indexIntervalBytes?: number } = {}): Promise<FileStorage> {
  const storage = await openFileStorage({ dataDir: join(root, String(count++)), ...options });
  open.push(storage);
  return storage;
}

after(async () => {
  for (const storage of open) await storage.close().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

describeShardLogContract('file', async () => (await freshStorage()).openShardLog('s@1', 'shardId-000000000000'));
// The same contract with tiny segments and a dense index, so that every case crosses segment boundaries.
describeShardLogContract('file, 64-byte segments', async () =>
  (await freshStorage({ segmentBytes: 64, indexIntervalBytes: 1 })).openShardLog('s@1', 'shardId-000000000000'),
);
describeMetadataStoreContract('file journal', async () => (await freshStorage()).metadata);
