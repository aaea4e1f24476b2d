import { join } from 'node:path';
import type { AccountEngines } from '@riffle/api';
import { Engine, EncryptionError, systemClock, type Keyring, type KeyringNeed } from '@riffle/engine';
import { createMemoryStorage, DATA_LAYOUT, FileObjectStore, openFileStorage, type Storage } from '@riffle/storage';
import type { RiffleConfig } from './config.js';
import { ConfigError } from './config.js';
import type { Logger } from './logger.js';

/** Where the accounts other than the primary keep their stores: `<data-dir>/accounts/<account id>/`. */
export const ACCOUNTS_DIR = 'accounts';

export interface HostedAccounts extends AccountEngines {
  close(): Promise<void>;
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
  const open = async (accountId: string, dataDir: string): Promise<{ engine: Engine; storage: Storage }> => {
    const storage = await openStorage(config, dataDir, log);
    try {
      const engine = await Engine.open({ storage, clock: systemClock, objects, ...(keyring ? { keyring } : {}), config: engineConfigOf(config, accountId) });
      return { engine, storage };
    } catch (error) {
      await storage.close().catch(() => undefined);
      // A master key that does not open the stored data keys stops the start, plainly.
      if (error instanceof EncryptionError) throw new ConfigError(`cannot open the data in ${dataDir}: ${error.message}`);
      throw error;
    }
  };
  const primary = await open(config.accountId, config.dataDir);
  const others = new Map<string, Promise<{ engine: Engine; storage: Storage }>>();
  // Open accounts answer without a promise (the hot path); an account stays open once it has been.
  const opened = new Map<string, Engine>();
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
            log({ event: 'account-opened', accountId });
          },
          () => others.delete(accountId),
        );
      }
      return opening.then((account) => account.engine);
    },
    async close() {
      closed = true;
      const opened = await Promise.allSettled(others.values());
      for (const account of [primary, ...opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))]) {
        await account.engine.close();
        await account.storage.close();
      }
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

async function openStorage(config: RiffleConfig, dataDir: string, log: Logger): Promise<Storage> {
  if (config.store === 'memory') return createMemoryStorage();
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
