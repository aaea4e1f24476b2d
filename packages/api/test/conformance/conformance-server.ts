import { Engine, FakeClock, Keyring, type FaultPlan } from '@riffle/engine';
import { createMemoryStorage } from '@riffle/storage';
import { kinesisJson } from '@riffle/testkit';
import { createListener } from '@riffle/wire';
import { createKinesisService, operationHandlers } from '../../src/index.js';

/**
 * The keyring conformance servers run with: the AWS managed key, and the customer key of the API reference's
 * examples (StartStreamEncryption KeyId) with the alias alias/MyAliasName.
 */
export const conformanceKeyring = new Keyring(Buffer.alloc(32, 3), [
  { keyId: '12345678-1234-1234-1234-123456789012', aliases: ['alias/MyAliasName'] },
]);

export interface ConformanceServer {
  readonly endpoint: string;
  readonly clock: FakeClock;
  readonly engine: Engine;
  /** One JSON 1.1 call over a real HTTP/1.1 socket: status and parsed body. */
  call(operation: string, input: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** The real stack (wire -> api -> engine -> memory storage) on 127.0.0.1:0, with time under the test's control. */
export async function startConformanceServer(
  options: {
    accountId?: string;
    shardLimit?: number;
    createStreamMs?: number;
    /** AWS's limits are off unless a test is about them (DESIGN.md §4). */
    throughputLimits?: boolean;
    controlPlaneLimits?: boolean;
    faultInjection?: FaultPlan;
    /** How long control-plane changes keep a stream UPDATING; default 0 (applied at once). */
    updateStreamMs?: number;
    deleteStreamMs?: number;
    onDemandStreamCountLimit?: number;
  } = {},
): Promise<ConformanceServer> {
  const clock = new FakeClock(Date.now());
  const storage = createMemoryStorage();
  const engine = await Engine.open({
    storage,
    clock,
    keyring: () => conformanceKeyring,
    config: {
      accountId: options.accountId ?? '123456789012',
      region: 'us-east-1',
      shardLimit: options.shardLimit ?? 50,
      onDemandStreamCountLimit: options.onDemandStreamCountLimit ?? 5,
      createStreamMs: options.createStreamMs ?? 0,
      deleteStreamMs: options.deleteStreamMs ?? 0,
      throughputLimits: options.throughputLimits ?? false,
      faultInjection: options.faultInjection,
      updateStreamMs: options.updateStreamMs ?? 0,
    },
  });
  const kinesis = createKinesisService({ engine, operations: operationHandlers, controlPlaneLimits: options.controlPlaneLimits ?? false });
  const listener = createListener({ services: [kinesis] });
  const { port } = await listener.listen(0, '127.0.0.1');
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    clock,
    engine,
    async call(operation, input) {
      const result = await kinesisJson(endpoint, operation, input);
      // Lifecycle timers of 0 ms run on the next advance; settle them so each call sees a steady state.
      await clock.advance(0);
      return result;
    },
    async close() {
      await listener.close();
      await engine.close();
      await storage.close();
    },
  };
}

/** Expects AWS's error exactly: status, `__type` and message. */
export function expectError(
  result: { status: number; body: any },
  type: string,
  message: string | undefined,
  assertDeepEqual: (a: unknown, b: unknown) => void,
): void {
  const expected: Record<string, unknown> = { __type: type };
  if (message !== undefined) expected[type === 'SerializationException' ? 'Message' : 'message'] = message;
  assertDeepEqual({ status: result.status, body: result.body }, { status: 400, body: expected });
}
