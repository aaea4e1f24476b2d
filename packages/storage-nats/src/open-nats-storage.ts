import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, credsAuthenticator, nuid, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { ShardLog, Storage } from '@riffle/storage';
import { NatsAppendRouter } from './nats-append-router.js';
import { NatsClusterBus } from './nats-cluster-bus.js';
import { NatsMetadataStore } from './nats-metadata-store.js';
import { NatsShardLog, type NatsLogContext } from './nats-shard-log.js';
import { NatsNames } from './subject-names.js';

export interface NatsStorageOptions {
  /** `nats://host:4222` URLs of the JetStream cluster's servers (any subset; the client learns the rest). */
  readonly servers: readonly string[];
  /** A NATS credentials file's contents (JWT and NKey seed). */
  readonly credentials?: string;
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  /** TLS to the servers: CA, client certificate and key as PEM file paths. */
  readonly tls?: { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string };
  /** Replicas of every stream and bucket: 3 on a 3-node cluster (the default), 1 on a single server. */
  readonly replicas?: number;
  /** Names every stream and bucket of this store start with; default "riffle". */
  readonly prefix?: string;
  /** Default 5,000 ms. */
  readonly ackTimeoutMs?: number;
  /** Default 30: enough to ride out a JetStream leader election. */
  readonly publishAttempts?: number;
  /** Client name the servers show. */
  readonly name?: string;
  /** Send each log's appends through one node (NatsAppendRouter); default true. */
  readonly routeAppends?: boolean;
}

export interface NatsStorage extends Storage {
  readonly metadata: NatsMetadataStore;
  readonly connection: NatsConnection;
}

/**
 * Snapshots kept per key: NatsMetadataStore reads a head another node wrote just before its own (a lost update of
 * nats-server before 2.9.21, issue #4320) to merge its mutations into it.
 */
const METADATA_HISTORY = 8;

/** Room left in each message for the headers of a log part. */
const HEADER_ROOM = 4_096;

/** Connects to a JetStream cluster and opens Riffle's storage on it (creating the metadata bucket if needed). */
export async function openNatsStorage(options: NatsStorageOptions): Promise<NatsStorage> {
  const names = new NatsNames(options.prefix ?? 'riffle');
  const replicas = options.replicas ?? 3;
  const connectOptions: NodeConnectionOptions = {
    servers: [...options.servers],
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // Otherwise every request and publish makes two Error objects up front (for their stacks): 15% of a node's CPU.
    noAsyncTraces: true,
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.user === undefined ? {} : { user: options.user, pass: options.pass ?? '' }),
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.credentials === undefined ? {} : { authenticator: credsAuthenticator(new TextEncoder().encode(options.credentials)) }),
    ...(options.tls === undefined ? {} : { tls: { ...options.tls } }),
  };
  const connection = await connect(connectOptions);
  try {
    const js = jetstream(connection);
    const jsm = await jetstreamManager(connection);
    const maxPayload = connection.info?.max_payload ?? 1024 * 1024;
    const kv = await whilePlacing(() => new Kvm(js).create(names.metadataBucket, { replicas, history: METADATA_HISTORY, storage: 'file', allow_direct: false }));
    const metadata = new NatsMetadataStore(kv, maxPayload - HEADER_ROOM);
    const router = options.routeAppends === false ? undefined : new NatsAppendRouter(connection, nuid.next(), names.nodesSubject, names.appendSubjectPrefix);
    const context: NatsLogContext = {
      js,
      jsm,
      replicas,
      partBytes: maxPayload - HEADER_ROOM,
      ackTimeoutMs: options.ackTimeoutMs ?? 5_000,
      publishAttempts: options.publishAttempts ?? 30,
      ...(router === undefined ? {} : { router }),
    };
    const logs = new Map<string, Promise<NatsShardLog>>();
    const logKey = (streamKey: string, shardId: string) => names.logSubject(streamKey, shardId);
    const openLog = (streamKey: string, shardId: string): Promise<NatsShardLog> => {
      const key = logKey(streamKey, shardId);
      let log = logs.get(key);
      if (!log) {
        log = NatsShardLog.open(context, names.logStreamName(streamKey, shardId), key, { streamKey, shardId }, () => logs.delete(key));
        logs.set(key, log);
        log.catch(() => logs.delete(key));
      }
      return log;
    };
    // Appends other nodes send here, for the logs this node writes.
    router?.start(async (append) => (await openLog(append.streamKey, append.shardId)).appendEncoded(append.bytes, append.count, append.maxTime, append.revision));

    return {
      metadata,
      connection,
      cluster: new NatsClusterBus(connection, names.usageSubject),
      openShardLog: openLog,
      async deleteStreamLogs(streamKey: string): Promise<void> {
        const prefix = names.logSubjects(streamKey).slice(0, -1);
        for (const [key, log] of [...logs]) if (key.startsWith(prefix)) await (await log).close();
        for await (const name of jsm.streams.names(names.logSubjects(streamKey))) await jsm.streams.delete(name);
      },
      async listStreamKeys(): Promise<string[]> {
        const keys = new Set<string>();
        for await (const info of jsm.streams.list(names.logSubjects())) {
          for (const subject of info.config.subjects ?? []) {
            const streamKey = names.streamKeyOf(subject);
            if (streamKey !== undefined) keys.add(streamKey);
          }
        }
        return [...keys];
      },
      async close(): Promise<void> {
        router?.close();
        for (const log of [...logs.values()]) await (await log.catch(() => undefined))?.close();
        await metadata.close();
        await connection.close();
      },
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

/** Tries while a cluster that just started has not met all its peers yet (R3 placement needs three). */
const PLACEMENT_ATTEMPTS = 50;

async function whilePlacing<T>(create: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      const message = (error as Error).message ?? '';
      const transient = /no suitable peers for placement|insufficient resources/i.test(message) || (error as Error).name === 'TimeoutError';
      if (!transient || attempt >= PLACEMENT_ATTEMPTS) throw error;
      await sleep(200);
    }
  }
}
