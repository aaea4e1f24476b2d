import type { FaultPlan } from './faults/fault-plan.js';

/** Everything the engine needs from the outside besides storage and time. */
export interface EngineConfig {
  /** 12 digits; in ARNs and in AWS's messages. */
  readonly accountId: string;
  readonly region: string;
  /** Open shards of provisioned streams allowed per account. */
  readonly shardLimit: number;
  readonly onDemandStreamCountLimit: number;
  /** How long a stream stays CREATING / DELETING / UPDATING; 0 makes the change at once. */
  readonly createStreamMs: number;
  readonly deleteStreamMs: number;
  readonly updateStreamMs: number;
  /** How often expired records are trimmed; default 60 s, 0 never (then only retention decreases trim). */
  readonly retentionCheckMs?: number;
  /** How often on-demand streams are given the shards their capacity needs; default 60 s, 0 never. */
  readonly onDemandScalingCheckMs?: number;
  /** How long records wait in every channel's buffer, instead of its DataFreshnessInSeconds (tests); default its own. */
  readonly channelFreshnessMs?: number;
  /** A channel writes an object once it has buffered this many bytes of record data; default 64 MiB. */
  readonly channelObjectBytes?: number;
  /** 32 bytes sealing shard iterators; set it so iterators survive a restart. Random per process otherwise. */
  readonly iteratorKey?: Uint8Array;
  /** AWS's per-shard write and read limits (README, limits); default on. */
  readonly throughputLimits?: boolean;
  /** Injected faults; the engine answers those of the data-plane operations, the api layer the others. */
  readonly faultInjection?: FaultPlan;
}
