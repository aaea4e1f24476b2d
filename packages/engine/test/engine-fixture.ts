import assert from 'node:assert/strict';
import { createMemoryStorage, type Storage, type StreamRecord } from '@riffle/storage';
import { Engine, FakeClock, Keyring, MAX_HASH_KEY, type EngineConfig, type EngineErrorCode } from '@riffle/engine';

export const testConfig: EngineConfig = {
  accountId: '111122223333',
  region: 'us-east-1',
  shardLimit: 50,
  onDemandStreamCountLimit: 3,
  createStreamMs: 0,
  deleteStreamMs: 0,
  updateStreamMs: 0,
  // Scaling runs when a test asks for it (scaleOnDemandStreams), never on a timer behind its back.
  onDemandScalingCheckMs: 0,
  // Tests not about limits run without them (DESIGN.md §4); throughput tests switch them on.
  throughputLimits: false,
};

/** A customer managed key of testKeyring, with the alias alias/orders. */
export const TEST_KEY_ID = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';

/** The keyring engine tests run with: a fixed master key, so that an engine reopened on the same storage reads on. */
export const testKeyring = new Keyring(Buffer.alloc(32, 7), [{ keyId: TEST_KEY_ID, aliases: ['alias/orders'] }]);

export interface EngineFixture {
  readonly engine: Engine;
  readonly clock: FakeClock;
  readonly storage: Storage;
}

/** An opened engine on memory storage and a fake clock. */
export async function startEngine(config: Partial<EngineConfig> = {}): Promise<EngineFixture> {
  const clock = new FakeClock();
  const storage = createMemoryStorage();
  const engine = await Engine.open({ storage, clock, config: { ...testConfig, ...config }, keyring: () => testKeyring });
  return { engine, clock, storage };
}

/** Asserts that `action` fails with an EngineError of `code` and, if given, exactly these params. */
export async function assertEngineError(
  action: () => unknown,
  code: EngineErrorCode,
  params?: Record<string, unknown>,
): Promise<void> {
  await assert.rejects(
    async () => action(),
    (error: unknown) => {
      assert.equal((error as { code?: unknown }).code, code, String(error));
      if (params) assert.deepEqual((error as { params?: unknown }).params, params);
      return true;
    },
  );
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * Stream `s` (key `s@1`) as a split leaves it: shard 0 closed one second after `createdAt` at `parentEnd`, its
 * children 1 ([0, 2^127-1]) and 2 ([2^127, max]) open.
 */
export function splitStreamRecord(createdAt: number, parentEnd: number, fields: Partial<StreamRecord> = {}): StreamRecord {
  const half = 2n ** 127n;
  return {
    name: 's',
    streamKey: 's@1',
    status: 'ACTIVE',
    mode: 'PROVISIONED',
    createdAt,
    retentionHours: 24,
    encryptionType: 'NONE',
    shardLevelMetrics: [],
    maxRecordSizeKiB: 1024,
    nextShardIndex: 3,
    shards: [
      { index: 0, hashKeyStart: 0n, hashKeyEnd: MAX_HASH_KEY, createdAt, closedAt: createdAt + 1000, closedEndOffset: parentEnd },
      { index: 1, parentIndex: 0, hashKeyStart: 0n, hashKeyEnd: half - 1n, createdAt: createdAt + 1000 },
      { index: 2, parentIndex: 0, hashKeyStart: half, hashKeyEnd: MAX_HASH_KEY, createdAt: createdAt + 1000 },
    ],
    tags: [],
    ...fields,
  };
}
