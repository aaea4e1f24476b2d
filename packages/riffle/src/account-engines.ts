import { join } from 'node:path';
import type { AccountEngines } from '@riffle/api';
import { DEFAULT_RETENTION_MINUTES, MetricJournal, MetricRegistry } from '@riffle/metrics';
import type { MeteredAccount } from './server-metrics.js';
import { Engine, EncryptionError, systemClock, type Keyring, type KeyringNeed } from '@riffle/engine';
import { mkdirSync, readFileSync } from 'node:fs';
import { createMemoryStorage, DATA_LAYOUT, FileObjectStore, lockDataDir, openFileStorage, type Storage } from '@riffle/storage';
import { nodeIdOf } from './node-id.js';
import { natsConnectFailure } from './nats-connect-failure.js';
import { NatsMetadataStore, openNatsStorage, type MetadataSubscription } from '@riffle/storage-nats';
import type { RiffleConfig } from './config.js';
import { ConfigError } from './config.js';
import type { Logger } from './logger.js';

/** Where the accounts other than the primary keep their stores: `<data-dir>/accounts/<account id>/`. */
export const ACCOUNTS_DIR = 'accounts';

export interface HostedAccounts extends AccountEngines {
  /** The metrics of an account whose engine is open. */
  metricsOf(accountId: string): MetricRegistry | undefined;
  /** Every open account with its metrics and its store's statistics. */
  metered(): MeteredAccount[];
  /** Appends the metrics changed since the last flush to each account's journal. */
  flushMetrics(): Promise<void>;
  close(): Promise<void>;
}

interface OpenAccount {
  readonly engine: Engine;
  readonly storage: Storage;
  /** Undefined with the memory store, whose metrics go with it. */
  readonly journal: MetricJournal | undefined;
  /** Distributed mode: the engine follows the metadata other nodes commit. */
  readonly following: MetadataSubscription | undefined;
}

/**
 * One engine and one store per account. The primary account (`--account-id`) lives at the root of the data
 * directory, as before there were several; every other account that has access keys gets its own directory
 * under `accounts/`, opened on its first call. `isHosted` says which accounts those are now (keys can change
 * while the server runs).
 */
export async function openHostedAccounts(
  config: RiffleConfig,
  log: Logger,
  isHosted: (accountId: string) => boolean,
  /** Encryption at rest's keyring, shared by the accounts (each keeps its own data keys, wrapped by its master key). */
  keyring?: (need: KeyringNeed) => Keyring | Promise<Keyring>,
): Promise<HostedAccounts> {
  // Channels deliver into <data-dir>/s3/<bucket>/, with the memory store too; bucket names are global, as in S3.
  const objects = new FileObjectStore(join(config.dataDir, DATA_LAYOUT.bucketsDir));
  const open = async (accountId: string, dataDir: string): Promise<OpenAccount> => {
    const storage = await openStorage(config, dataDir, accountId, log);
    try {
      const metrics = new MetricRegistry({ retentionMinutes: DEFAULT_RETENTION_MINUTES, maxSeries: config.metricsMaxSeries });
      // After the store: its lock says this process owns the directory, journal included.
      const journal =
        config.store !== 'memory'
          ? await MetricJournal.open({ directory: join(dataDir, DATA_LAYOUT.metricsDir), registry: metrics, retentionMinutes: DEFAULT_RETENTION_MINUTES }, systemClock.now())
          : undefined;
      const nodeId = storage.cluster === undefined ? undefined : nodeIdOf(config.dataDir);
      const engine = await Engine.open({
        storage,
        clock: systemClock,
        objects,
        metrics,
        ...(keyring ? { keyring } : {}),
        ...(nodeId === undefined ? {} : { nodeId }),
        config: engineConfigOf(config, accountId),
      });
      let following: MetadataSubscription | undefined;
      if (storage.metadata instanceof NatsMetadataStore) {
        following = await storage.metadata.follow((snapshot) => engine.followMetadata(snapshot));
        // What other nodes committed between the engine's load and the watch's start.
        engine.followMetadata(await storage.metadata.load());
      }
      return { engine, storage, journal, following };
    } catch (error) {
      await storage.close().catch(() => undefined);
      // A master key that does not open the stored data keys stops the start, plainly.
      if (error instanceof EncryptionError) throw new ConfigError(`cannot open the data in ${dataDir}: ${error.message}`);
      throw error;
    }
  };
  const primary = await open(config.accountId, config.dataDir);
  const others = new Map<string, Promise<OpenAccount>>();
  // Open accounts answer without a promise (the hot path); an account stays open once it has been.
  const opened = new Map<string, Engine>();
  const openAccounts = new Map<string, OpenAccount>([[config.accountId, primary]]);
  const flushAll = async () => {
    const now = systemClock.now();
    for (const [accountId, account] of openAccounts) {
      try {
        await account.journal?.flush(now);
      } catch (error) {
        log({ level: 'error', event: 'metrics-flush-failed', accountId, error: (error as Error).message });
      }
    }
  };
  let closed = false;

  return {
    primary: primary.engine,
    engineOf(accountId) {
      if (accountId === config.accountId) return primary.engine;
      const openEngine = opened.get(accountId);
      if (openEngine !== undefined || closed || !isHosted(accountId)) return openEngine;
      let opening = others.get(accountId);
      if (opening === undefined) {
        opening = open(accountId, join(config.dataDir, ACCOUNTS_DIR, accountId));
        others.set(accountId, opening);
        opening.then(
          (account) => {
            opened.set(accountId, account.engine);
            openAccounts.set(accountId, account);
            log({ event: 'account-opened', accountId });
          },
          () => others.delete(accountId),
        );
      }
      return opening.then((account) => account.engine);
    },
    metricsOf(accountId) {
      return openAccounts.get(accountId)?.engine.metrics;
    },
    metered() {
      return [...openAccounts].map(([account, { engine, storage }]) => ({ account, engine, registry: engine.metrics, storage: storage.statistics?.() }));
    },
    flushMetrics: flushAll,
    async close() {
      closed = true;
      const settled = await Promise.allSettled(others.values());
      const accounts = [primary, ...settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))];
      for (const account of accounts) {
        account.following?.stop();
        await account.engine.close();
      }
      // After the engines: their last calls are in the journal too.
      await flushAll();
      for (const account of accounts) await account.storage.close();
    },
  };
}

function engineConfigOf(config: RiffleConfig, accountId: string) {
  return {
    accountId,
    region: config.region,
    shardLimit: config.shardLimit,
    onDemandStreamCountLimit: config.onDemandStreamLimit,
    createStreamMs: config.createStreamMs,
    deleteStreamMs: config.deleteStreamMs,
    updateStreamMs: config.updateStreamMs,
    retentionCheckMs: config.retentionCheckMs,
    onDemandScalingCheckMs: config.onDemandScalingCheckMs,
    throughputLimits: config.throughput,
    faultInjection: config.faults,
    channelFreshnessMs: config.channelFreshnessMs,
    channelObjectBytes: config.channelObjectBytes,
  };
}

async function openStorage(config: RiffleConfig, dataDir: string, accountId: string, log: Logger): Promise<Storage> {
  if (config.store === 'memory') return createMemoryStorage();
  if (config.store === 'nats') return openNatsStore(config, dataDir, accountId, log);
  try {
    return await openFileStorage({
      dataDir,
      fsync: config.fsync,
      fsyncIntervalMs: config.fsyncIntervalMs,
      segmentBytes: config.segmentBytes,
      segmentMs: config.segmentMs,
      report: (event) => log({ ...event, component: 'storage' }),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'RIFFLE_ERR_DATA_FORMAT' || code === 'RIFFLE_ERR_DATA_DIR_IN_USE' || code === 'RIFFLE_ERR_METADATA_CORRUPT' || code === 'EACCES' || code === 'ENOTDIR') {
      throw new ConfigError(`cannot open the data directory ${dataDir}: ${(error as Error).message}`);
    }
    throw error;
  }
}

/**
 * The account's store on the JetStream cluster: the primary account's streams and bucket are named by
 * `--nats-prefix`, another account's by the prefix and its id. The data directory still holds what is this node's
 * own (metrics journal, TLS certificate, channel objects), so it is locked as the file store locks it.
 */
async function openNatsStore(config: RiffleConfig, dataDir: string, accountId: string, log: Logger): Promise<Storage> {
  mkdirSync(dataDir, { recursive: true });
  let unlock: () => void;
  try {
    unlock = lockDataDir(dataDir);
  } catch (error) {
    throw new ConfigError(`cannot open the data directory ${dataDir}: ${(error as Error).message}`);
  }
  try {
    const storage = await openNatsStorage({
      servers: config.natsServers,
      replicas: config.natsReplicas,
      prefix: accountId === config.accountId ? config.natsPrefix : `${config.natsPrefix}-${accountId}`,
      name: `riffle ${config.host}:${config.port}`,
      ...(config.natsCredsFile === undefined ? {} : { credentials: readFileSync(config.natsCredsFile, 'utf8') }),
      ...(config.natsUser === undefined ? {} : { user: config.natsUser, pass: config.natsPassword ?? '' }),
      ...(config.natsToken === undefined ? {} : { token: config.natsToken }),
      ...(config.natsTlsCa === undefined && config.natsTlsCert === undefined
        ? {}
        : { tls: { ...(config.natsTlsCa === undefined ? {} : { caFile: config.natsTlsCa }), ...(config.natsTlsCert === undefined ? {} : { certFile: config.natsTlsCert, keyFile: config.natsTlsKey! }) } }),
    });
    log({ event: 'nats-connected', accountId, servers: config.natsServers, replicas: config.natsReplicas });
    const close = storage.close.bind(storage);
    return Object.assign(storage, {
      close: async () => {
        try {
          await close();
        } finally {
          unlock();
        }
      },
    });
  } catch (error) {
    unlock();
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(natsConnectFailure(config.natsServers, error as Error));
  }
}
