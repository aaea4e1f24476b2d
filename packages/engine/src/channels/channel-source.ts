import type { ReadLimits, StreamRecord } from '@riffle/storage';

/** A record as channel delivery sees it: where it is in its shard, and what Kinesis says about it. */
export interface SourceRecord {
  readonly offset: number;
  /** Epoch ms. */
  readonly arrivalTime: number;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  readonly data: Uint8Array;
}

/**
 * What channel delivery needs from the engine: the streams and their shards' records, read directly rather than
 * through shard iterators and GetRecords, whose per-shard read limits do not apply to channels ("channel reads
 * consume no additional shard capacity", aws/agent-toolkit-for-aws, managing-amazon-kinesis-data-streams).
 */
export interface ChannelSource {
  /** The stream's current record, or undefined when there is none of that name. */
  stream(name: string): StreamRecord | undefined;
  /**
   * Records of one shard from `from` on, within the limits. Reading starts no earlier than the retention horizon:
   * `from` in the result says where it did start.
   */
  read(stream: StreamRecord, shardIndex: number, from: number, limits: ReadLimits): Promise<{ from: number; records: SourceRecord[] }>;
  /** The offset the shard's next record will get (where LATEST points). */
  endOffset(stream: StreamRecord, shardIndex: number): Promise<number>;
}
