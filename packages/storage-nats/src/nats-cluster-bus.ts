import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { nuid } from '@nats-io/transport-node';
import type { ClusterBus, DataPlaneUsage } from '@riffle/storage';

/** One message: the sending node, and per shard [streamKey, shardIndex, appendedRecords, appendedBytes, readCalls, readBytes]. */
interface UsageMessage {
  readonly node: string;
  readonly usages: readonly (readonly [string, number, number, number, number, number])[];
}

/**
 * The ClusterBus on core NATS (no JetStream: nothing is stored): each node sums its uses per shard for the rest of
 * the current turn of the event loop, then publishes them as one message on `<prefix>.usage`, which every node
 * of the store subscribes to. A node ignores its own messages.
 */
export class NatsClusterBus implements ClusterBus {
  readonly #connection: NatsConnection;
  readonly #subject: string;
  readonly #node = nuid.next();
  #pending = new Map<string, [string, number, number, number, number, number]>();
  #flushing = false;
  readonly #listeners = new Set<(usage: DataPlaneUsage) => void>();
  #subscription: Subscription | undefined;

  constructor(connection: NatsConnection, subject: string) {
    this.#connection = connection;
    this.#subject = subject;
  }

  publish(usage: DataPlaneUsage): void {
    if (this.#connection.isClosed()) return;
    const key = `${usage.streamKey}\u0000${usage.shardIndex}`;
    const sum = this.#pending.get(key);
    if (sum) {
      sum[2] += usage.appendedRecords;
      sum[3] += usage.appendedBytes;
      sum[4] += usage.readCalls;
      sum[5] += usage.readBytes;
    } else {
      this.#pending.set(key, [usage.streamKey, usage.shardIndex, usage.appendedRecords, usage.appendedBytes, usage.readCalls, usage.readBytes]);
    }
    if (this.#flushing) return;
    this.#flushing = true;
    setImmediate(() => this.#flush());
  }

  subscribe(listener: (usage: DataPlaneUsage) => void): () => void {
    this.#listeners.add(listener);
    this.#subscription ??= this.#connection.subscribe(this.#subject, { callback: (error, message) => {
      if (!error) this.#receive(message.data);
    } });
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size > 0) return;
      this.#subscription?.unsubscribe();
      this.#subscription = undefined;
    };
  }

  #flush(): void {
    this.#flushing = false;
    if (this.#pending.size === 0 || this.#connection.isClosed()) return;
    const message: UsageMessage = { node: this.#node, usages: [...this.#pending.values()] };
    this.#pending = new Map();
    try {
      this.#connection.publish(this.#subject, JSON.stringify(message));
    } catch {
      // Closing or draining: the uses are best effort.
    }
  }

  #receive(data: Uint8Array): void {
    let message: UsageMessage;
    try {
      message = JSON.parse(Buffer.from(data).toString('utf8')) as UsageMessage;
    } catch {
      return;
    }
    if (message.node === this.#node || !Array.isArray(message.usages)) return;
    for (const [streamKey, shardIndex, appendedRecords, appendedBytes, readCalls, readBytes] of message.usages) {
      const usage = { streamKey, shardIndex, appendedRecords, appendedBytes, readCalls, readBytes };
      for (const listener of this.#listeners) listener(usage);
    }
  }
}
