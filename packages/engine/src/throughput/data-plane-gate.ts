import type { DataPlaneUsage, StreamRecord } from '@riffle/storage';
import type { Clock } from '../clock.js';
import { EngineError } from '../engine-error.js';
import { FaultInjector } from '../faults/fault-injector.js';
import type { FaultPlan } from '../faults/fault-plan.js';
import { shardIdOf } from '../shard-id.js';
import type { StreamWriteCapacity } from './stream-write-capacity.js';
import { ThroughputLimiter } from './throughput-limiter.js';

/** Why a record was not written: its shard's write budget (or an injected throttle), or an injected InternalFailure. */
export type WriteRefusal =
  | { readonly errorCode: 'ProvisionedThroughputExceededException'; readonly shardId: string }
  | { readonly errorCode: 'InternalFailure' };

export interface DataPlaneGateOptions {
  readonly clock: Clock;
  /** AWS's per-shard limits; off for tests and benchmarks not about them. */
  readonly throughputLimits: boolean;
  readonly faults?: FaultPlan;
  /** See ThroughputLimiterOptions: a stream-wide write budget (on-demand streams). */
  readonly streamWriteCapacity?: (stream: StreamRecord) => StreamWriteCapacity | undefined;
}

/**
 * What every data-plane call passes before it touches a log: injected faults first (a faulted call neither writes
 * nor reads, nor uses any budget), then the shard's throughput limits.
 */
export class DataPlaneGate {
  readonly #limiter: ThroughputLimiter | undefined;
  readonly #faults: FaultInjector;

  constructor(options: DataPlaneGateOptions) {
    const { clock, streamWriteCapacity } = options;
    this.#limiter = options.throughputLimits ? new ThroughputLimiter(clock, { streamWriteCapacity }) : undefined;
    this.#faults = new FaultInjector(options.faults);
  }

  /** True when nothing is limited or injected: writes and reads skip the gate's per-record work. */
  get open(): boolean {
    return this.#limiter === undefined && !this.#faults.active;
  }

  /** One record, in request order: undefined when admitted (and charged), else why not. */
  admitWrite(
    operation: 'PutRecord' | 'PutRecords',
    stream: StreamRecord,
    shardIndex: number,
    entry: { readonly data: Uint8Array; readonly partitionKey: string | undefined },
  ): WriteRefusal | undefined {
    const fault = this.#faults.draw(operation);
    if (fault === 'internal') return { errorCode: 'InternalFailure' };
    const size = entry.data.byteLength + Buffer.byteLength(entry.partitionKey ?? '', 'utf8');
    if (fault === 'throttle' || (this.#limiter !== undefined && !this.#limiter.admitWrite(stream, shardIndex, size))) {
      return { errorCode: 'ProvisionedThroughputExceededException', shardId: shardIdOf(shardIndex) };
    }
    return undefined;
  }

  /** Throws when this GetRecords call may not read. */
  checkGetRecords(stream: StreamRecord, shardIndex: number): void {
    this.#checkRead('GetRecords', stream, shardIndex, (limiter) => limiter.admitGetRecords(stream, shardIndex));
  }

  /** Whether chargeRead counts anything: without limits, callers need not size what they read. */
  get limitsReads(): boolean {
    return this.#limiter !== undefined;
  }

  /** The bytes an admitted GetRecords call returned; `reachedCallMaximum` when the 10 MiB per call cut it short. */
  chargeRead(stream: StreamRecord, shardIndex: number, bytes: number, reachedCallMaximum: boolean): void {
    this.#limiter?.chargeRead(stream, shardIndex, bytes, reachedCallMaximum);
  }

  /** Throws when this GetShardIterator call is refused. */
  checkGetShardIterator(stream: StreamRecord, shardIndex: number): void {
    this.#checkRead('GetShardIterator', stream, shardIndex, (limiter) => limiter.admitGetShardIterator(stream, shardIndex));
  }

  /** What another node sharing the store did to the shard (see ClusterBus): counted against its limits here too. */
  chargePeerUsage(stream: StreamRecord, usage: DataPlaneUsage): void {
    if (this.#limiter === undefined) return;
    if (usage.appendedRecords > 0) this.#limiter.chargePeerWrites(stream, usage.shardIndex, usage.appendedRecords, usage.appendedBytes);
    if (usage.readCalls > 0) this.#limiter.chargePeerReads(stream, usage.shardIndex, usage.readCalls, usage.readBytes);
  }

  forgetStream(streamKey: string): void {
    this.#limiter?.forgetStream(streamKey);
  }

  #checkRead(
    operation: 'GetRecords' | 'GetShardIterator',
    stream: StreamRecord,
    shardIndex: number,
    admit: (limiter: ThroughputLimiter) => boolean,
  ): void {
    const fault = this.#faults.draw(operation);
    if (fault === 'internal') throw new EngineError('InjectedInternalFailure');
    if (fault === 'throttle' || (this.#limiter !== undefined && !admit(this.#limiter))) {
      throw new EngineError('ReadThroughputExceeded', { stream: stream.name, shardId: shardIdOf(shardIndex) });
    }
  }
}

/** The error a refused PutRecord answers with (PutRecords answers per entry instead). */
export function writeRefusalError(stream: string, refusal: WriteRefusal): EngineError {
  return refusal.errorCode === 'InternalFailure'
    ? new EngineError('InjectedInternalFailure')
    : new EngineError('WriteThroughputExceeded', { stream, shardId: refusal.shardId });
}
