/**
 * A stream-wide write budget on top of the per-shard ones, for streams whose capacity is the stream's rather than
 * the sum of their shards' (on-demand streams start at 4 MiB/s and 4,000 records/s and scale from there).
 */
export interface StreamWriteCapacity {
  readonly bytesPerSecond: number;
  readonly recordsPerSecond: number;
}
