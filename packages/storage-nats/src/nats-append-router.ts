import { headers as natsHeaders, RequestError, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { ShardLogFencedError } from '@riffle/storage';

/** One append sent to the node that writes the log: its records already encoded as one batch. */
export interface ForwardedAppend {
  readonly streamKey: string;
  readonly shardId: string;
  readonly bytes: Uint8Array;
  readonly count: number;
  readonly maxTime: number;
  readonly revision: number | undefined;
}

/** What the writing node stored: where the batch is, so that the sender's index can take it without a catch-up. */
export interface AppendReceipt {
  readonly firstOffset: number;
  readonly seq: number;
  readonly batch: string;
  readonly after: string;
}

/** How often a node says it is there, and how long it counts as there after it last did. */
const HEARTBEAT_MS = 1_000;
const PEER_TTL_MS = 3_500;
/** A forwarded append waits this long for its receipt (the writer's own publish waits up to ackTimeoutMs). */
const FORWARD_TIMEOUT_MS = 10_000;

const HEADER = {
  streamKey: 'Riffle-Stream-Key',
  shardId: 'Riffle-Shard',
  count: 'Riffle-Count',
  maxTime: 'Riffle-Max-Time',
  revision: 'Riffle-Revision',
} as const;

/**
 * Sends each shard log's appends through one node, so that two Riffle nodes writing to one shard do not take turns
 * losing the compare-and-set on its tail (each loss costs a catch-up and a publish again).
 *
 * The nodes of one store say they are there every second (core NATS, `<prefix>.nodes`); the writer of a log is the
 * live node that ranks first for it (rendezvous hashing), so the logs spread over the nodes and move only when a
 * node comes or goes. A node that is not the writer sends its append, encoded, as a request to the writer
 * (`<prefix>.append.<node>`), which appends it as its own. Correctness never rests on this: every node still
 * appends with compare-and-set, so two nodes that briefly both think they write a log are only slower. A request
 * nobody answers (the writer is gone) is appended here; one that times out is an error, as the writer may have
 * stored it (the client's retry may then store it twice, as on AWS).
 */
export class NatsAppendRouter {
  readonly node: string;
  readonly #connection: NatsConnection;
  readonly #nodesSubject: string;
  readonly #appendPrefix: string;
  readonly #peers = new Map<string, number>();
  #ranked: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #subscriptions: Subscription[] = [];

  constructor(connection: NatsConnection, node: string, nodesSubject: string, appendPrefix: string) {
    this.#connection = connection;
    this.node = node;
    this.#nodesSubject = nodesSubject;
    this.#appendPrefix = appendPrefix;
    this.#ranked = [node];
  }

  /** Starts taking appends sent here (`append` writes one locally) and saying this node is there. */
  start(append: (request: ForwardedAppend) => Promise<AppendReceipt>): void {
    this.#subscriptions.push(
      this.#connection.subscribe(this.#nodesSubject, {
        callback: (error, message) => {
          if (!error) this.#seen(message.string());
        },
      }),
      this.#connection.subscribe(`${this.#appendPrefix}.${this.node}`, {
        callback: (error, message) => {
          if (!error) void this.#serve(message, append);
        },
      }),
    );
    const announce = () => {
      if (!this.#connection.isClosed()) this.#connection.publish(this.#nodesSubject, this.node);
    };
    announce();
    this.#timer = setInterval(announce, HEARTBEAT_MS);
    this.#timer.unref();
  }

  /** The node that writes the log with this subject: this one when it is alone. */
  writerOf(subject: string): string {
    this.#expire(Date.now());
    if (this.#ranked.length === 1) return this.node;
    let best = this.node;
    let bestScore = -1;
    for (const node of this.#ranked) {
      const score = rank(node, subject);
      if (score > bestScore || (score === bestScore && node < best)) {
        best = node;
        bestScore = score;
      }
    }
    return best;
  }

  /** The writer's receipt, or undefined when the writer is not there (append locally). */
  async forward(writer: string, append: ForwardedAppend): Promise<AppendReceipt | undefined> {
    const headers = natsHeaders();
    headers.set(HEADER.streamKey, append.streamKey);
    headers.set(HEADER.shardId, append.shardId);
    headers.set(HEADER.count, String(append.count));
    headers.set(HEADER.maxTime, String(append.maxTime));
    if (append.revision !== undefined) headers.set(HEADER.revision, String(append.revision));
    let reply: Msg;
    try {
      reply = await this.#connection.request(`${this.#appendPrefix}.${writer}`, append.bytes, { timeout: FORWARD_TIMEOUT_MS, headers });
    } catch (error) {
      if (error instanceof RequestError && error.isNoResponders()) {
        this.#peers.delete(writer);
        this.#rerank();
        return undefined;
      }
      throw error;
    }
    const answer = reply.json<AppendReceipt | { fenced: number } | { error: string }>();
    if ('fenced' in answer) throw new ShardLogFencedError(answer.fenced);
    if ('error' in answer) throw new Error(`the node writing the shard log refused the append: ${answer.error}`);
    return answer;
  }

  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    for (const subscription of this.#subscriptions.splice(0)) subscription.unsubscribe();
  }

  async #serve(message: Msg, append: (request: ForwardedAppend) => Promise<AppendReceipt>): Promise<void> {
    const headers = message.headers;
    let answer: AppendReceipt | { fenced: number } | { error: string };
    try {
      const revision = headers?.get(HEADER.revision);
      answer = await append({
        streamKey: headers?.get(HEADER.streamKey) ?? '',
        shardId: headers?.get(HEADER.shardId) ?? '',
        bytes: message.data,
        count: Number(headers?.get(HEADER.count)),
        maxTime: Number(headers?.get(HEADER.maxTime)),
        revision: revision ? Number(revision) : undefined,
      });
    } catch (error) {
      answer = error instanceof ShardLogFencedError ? { fenced: error.revision } : { error: (error as Error).message };
    }
    try {
      message.respond(JSON.stringify(answer));
    } catch {
      // The connection is closing: the sender's request times out.
    }
  }

  #seen(node: string): void {
    if (node === this.node || node.length === 0) return;
    const known = this.#peers.has(node);
    this.#peers.set(node, Date.now());
    if (!known) this.#rerank();
  }

  #expire(now: number): void {
    let changed = false;
    for (const [node, seenAt] of this.#peers) {
      if (now - seenAt <= PEER_TTL_MS) continue;
      this.#peers.delete(node);
      changed = true;
    }
    if (changed) this.#rerank();
  }

  #rerank(): void {
    this.#ranked = [this.node, ...this.#peers.keys()];
  }
}

/** FNV-1a of node and subject: each node's rank for a log (rendezvous hashing). */
function rank(node: string, subject: string): number {
  let hash = 0x811c9dc5;
  const key = `${node}|${subject}`;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
