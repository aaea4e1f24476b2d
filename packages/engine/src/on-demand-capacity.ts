import type { StreamRecord } from '@riffle/storage';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MIB = 1024 * 1024;
/** On-demand streams start with 4 MB/s and 4,000 records/s of write capacity (AWS developer guide, on-demand mode). */
export const ON_DEMAND_BASE_BYTES_PER_SECOND = 4 * MIB;
export const ON_DEMAND_BASE_RECORDS_PER_SECOND = 4000;
/** A shard takes 1 MiB/s or 1,000 records/s of writes. */
export const SHARD_WRITE_BYTES_PER_SECOND = MIB;
export const SHARD_WRITE_RECORDS_PER_SECOND = 1000;
/** "Up to double the peak write throughput observed in the previous 30 days". */
export const PEAK_WINDOW_DAYS = 30;

export interface WriteRate {
  readonly bytesPerSecond: number;
  readonly recordsPerSecond: number;
}

/** One stream's writes in the current minute and the last complete one, per shard. */
interface StreamMinutes {
  minute: number;
  bytes: Map<number, number>;
  records: number;
  last: { minute: number; bytesByShard: Map<number, number>; records: number } | undefined;
}

/** Counts the writes of on-demand streams per minute: the input of their scaling. Memory only: a minute lost to a restart is a minute not counted. */
export class WriteRateTracker {
  readonly #streams = new Map<string, StreamMinutes>();

  record(streamKey: string, shardIndex: number, bytes: number, records: number, now: number): void {
    const minute = Math.floor(now / MINUTE_MS);
    let state = this.#streams.get(streamKey);
    if (!state) this.#streams.set(streamKey, (state = { minute, bytes: new Map(), records: 0, last: undefined }));
    this.#roll(state, minute);
    state.bytes.set(shardIndex, (state.bytes.get(shardIndex) ?? 0) + bytes);
    state.records += records;
  }

  /** The rate of the last complete minute before `now` (zero when nothing was written in it), and its bytes per shard. */
  lastMinute(streamKey: string, now: number): { rate: WriteRate; bytesByShard: ReadonlyMap<number, number> } {
    const state = this.#streams.get(streamKey);
    const minute = Math.floor(now / MINUTE_MS);
    if (state) this.#roll(state, minute);
    const last = state?.last;
    if (!last || last.minute !== minute - 1) return { rate: { bytesPerSecond: 0, recordsPerSecond: 0 }, bytesByShard: new Map() };
    let bytes = 0;
    for (const value of last.bytesByShard.values()) bytes += value;
    return { rate: { bytesPerSecond: bytes / 60, recordsPerSecond: last.records / 60 }, bytesByShard: last.bytesByShard };
  }

  forget(streamKey: string): void {
    this.#streams.delete(streamKey);
  }

  #roll(state: StreamMinutes, minute: number): void {
    if (minute === state.minute) return;
    state.last = { minute: state.minute, bytesByShard: state.bytes, records: state.records };
    state.minute = minute;
    state.bytes = new Map();
    state.records = 0;
  }
}

/** The stream's daily peaks with `rate` folded into today's, keeping the last 30 days; undefined if nothing changed. */
export function foldPeak(stream: StreamRecord, rate: WriteRate, now: number): StreamRecord['writePeaks'] | undefined {
  const today = Math.floor(now / DAY_MS);
  const peaks = (stream.writePeaks ?? []).filter((peak) => peak.day > today - PEAK_WINDOW_DAYS);
  const current = peaks.find((peak) => peak.day === today);
  if (current && current.bytesPerSecond >= rate.bytesPerSecond && current.recordsPerSecond >= rate.recordsPerSecond) {
    return peaks.length === (stream.writePeaks ?? []).length ? undefined : peaks;
  }
  if (!current && rate.bytesPerSecond === 0 && rate.recordsPerSecond === 0) {
    return peaks.length === (stream.writePeaks ?? []).length ? undefined : peaks;
  }
  const merged = {
    day: today,
    bytesPerSecond: Math.max(current?.bytesPerSecond ?? 0, rate.bytesPerSecond),
    recordsPerSecond: Math.max(current?.recordsPerSecond ?? 0, rate.recordsPerSecond),
  };
  return [...peaks.filter((peak) => peak.day !== today), merged].sort((a, b) => a.day - b.day);
}

/** What an on-demand stream accommodates: the base, twice its 30-day peak, or its warm throughput, whichever is most. */
export function onDemandWriteCapacity(stream: StreamRecord, now: number): WriteRate {
  const today = Math.floor(now / DAY_MS);
  let peakBytes = 0;
  let peakRecords = 0;
  for (const peak of stream.writePeaks ?? []) {
    if (peak.day <= today - PEAK_WINDOW_DAYS) continue;
    peakBytes = Math.max(peakBytes, peak.bytesPerSecond);
    peakRecords = Math.max(peakRecords, peak.recordsPerSecond);
  }
  const warmBytes = (stream.warmThroughput?.currentMiBps ?? 0) * MIB;
  return {
    bytesPerSecond: Math.max(ON_DEMAND_BASE_BYTES_PER_SECOND, 2 * peakBytes, warmBytes),
    recordsPerSecond: Math.max(ON_DEMAND_BASE_RECORDS_PER_SECOND, 2 * peakRecords),
  };
}

/** Open shards needed to take `capacity`, each shard taking 1 MiB/s and 1,000 records/s. */
export function shardsForCapacity(capacity: WriteRate): number {
  return Math.max(
    Math.ceil(capacity.bytesPerSecond / SHARD_WRITE_BYTES_PER_SECOND),
    Math.ceil(capacity.recordsPerSecond / SHARD_WRITE_RECORDS_PER_SECOND),
  );
}
