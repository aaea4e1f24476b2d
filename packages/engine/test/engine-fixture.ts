import assert from 'node:assert/strict';
import { createMemoryStorage, type Storage } from '@riffle/storage';
import { Engine, FakeClock, type EngineConfig, type EngineErrorCode } from '@riffle/engine';

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

export interface EngineFixture {
  readonly engine: Engine;
  readonly clock: FakeClock;
  readonly storage: Storage;
}

/** An opened engine on memory storage and a fake clock. */
export async function startEngine(config: Partial<EngineConfig> = {}): Promise<EngineFixture> {
  const clock = new FakeClock();
  const storage = createMemoryStorage();
  const engine = await Engine.open({ storage, clock, config: { ...testConfig, ...config } });
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
