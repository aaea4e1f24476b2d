/**
 * What one Riffle node did to a shard's data plane, summed over a moment, for the other nodes that share the
 * store: their throughput limits count it, and their SubscribeToShard subscriptions wake for the appends.
 */
export interface DataPlaneUsage {
  readonly streamKey: string;
  readonly shardIndex: number;
  /** Records appended (and acknowledged), and their bytes as the write limits count them (data and partition key). */
  readonly appendedRecords: number;
  readonly appendedBytes: number;
  /** GetRecords calls admitted, and the bytes they returned. */
  readonly readCalls: number;
  readonly readBytes: number;
}

/**
 * Where several nodes share one store: how they tell each other about their data-plane use. Best effort and not
 * durable (a lost message costs a moment of limits or a subscription's wait for its next poll, never a record).
 */
export interface ClusterBus {
  /** Tells the other nodes, soon (uses are summed per shard and sent together). */
  publish(usage: DataPlaneUsage): void;
  /** Other nodes' uses, never this node's own; returns how to stop listening. */
  subscribe(listener: (usage: DataPlaneUsage) => void): () => void;
}
