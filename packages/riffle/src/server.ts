import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createListener, createSigV4Verifier, ensureSelfSignedCertificate } from '@riffle/wire';
import { createKinesisService, operationHandlers } from '@riffle/api';
import { Engine, systemClock } from '@riffle/engine';
import { createMemoryStorage, DATA_LAYOUT, FileObjectStore, openFileStorage, type Storage } from '@riffle/storage';
import { AccessKeyStore } from './access-keys/access-key-store.js';
import { AccessKeysError } from './access-keys/access-keys-error.js';
import type { RiffleConfig } from './config.js';
import { ConfigError } from './config.js';
import type { Logger } from './logger.js';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** SIGHUP: re-reads the access-key file. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** The composition root: storage -> engine -> api -> wire, started on the configured port. */
export async function startServer(config: RiffleConfig, log: Logger): Promise<RunningServer> {
  // Before the data directory is locked: a bad key file should fail fast and touch nothing.
  const accessKeys = await openAccessKeys(config, log);
  const storage = await openStorage(config, log);
  const engine = await Engine.open({
    storage,
    clock: systemClock,
    // Channels deliver into <data-dir>/s3/<bucket>/, with the memory store too (delivered objects outlive the process).
    objects: new FileObjectStore(join(config.dataDir, DATA_LAYOUT.bucketsDir)),
    config: {
      accountId: config.accountId,
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
    },
  });
  const kinesis = createKinesisService({ engine, operations: operationHandlers, controlPlaneLimits: config.controlPlaneLimits });
  const tls = config.tls ? await loadTls(config) : undefined;
  const verifySignature = accessKeys
    ? createSigV4Verifier({ lookupKey: accessKeys.lookup, region: config.region, service: 'kinesis', now: () => systemClock.now() })
    : undefined;
  const listener = createListener({ services: [kinesis], tls, maxBodyBytes: config.maxBodyBytes, log, ...(verifySignature ? { verifySignature } : {}) });
  const address = await listener.listen(config.port, config.host);
  accessKeys?.watch();
  log({ event: 'started', host: address.host, port: address.port, store: config.store, ...(config.store === 'file' ? { dataDir: config.dataDir, fsync: config.fsync } : {}), tls: config.tls, auth: config.auth, ...(accessKeys ? { accessKeys: accessKeys.size } : {}), region: config.region, accountId: config.accountId, throughput: config.throughput, controlPlaneLimits: config.controlPlaneLimits, ...(config.faults ? { faultInjection: config.faultInjection, faultSeed: config.faults.seed } : {}) });
  return {
    host: address.host,
    port: address.port,
    async reload() {
      await accessKeys?.reload();
    },
    async close() {
      accessKeys?.close();
      await listener.close();
      await engine.close();
      await storage.close();
    },
  };
}

/** Strict mode's keys: RIFFLE_ACCESS_KEYS plus the --access-keys file, which is then watched. */
async function openAccessKeys(config: RiffleConfig, log: Logger): Promise<AccessKeyStore | undefined> {
  if (config.auth !== 'strict') {
    if (config.accessKeysFile !== undefined || config.accessKeys.length > 0) {
      log({ event: 'access-keys-ignored', reason: 'signatures are verified only with --auth strict' });
    }
    return undefined;
  }
  let store: AccessKeyStore;
  try {
    store = await AccessKeyStore.open({ fixed: config.accessKeys, log, ...(config.accessKeysFile !== undefined ? { file: config.accessKeysFile } : {}) });
  } catch (error) {
    if (error instanceof AccessKeysError) throw new ConfigError(error.message);
    throw error;
  }
  if (store.size === 0) throw new ConfigError(`--auth strict needs at least one access key; ${config.accessKeysFile} has none`);
  return store;
}

async function openStorage(config: RiffleConfig, log: Logger): Promise<Storage> {
  if (config.store === 'memory') return createMemoryStorage();
  try {
    return await openFileStorage({
      dataDir: config.dataDir,
      fsync: config.fsync,
      fsyncIntervalMs: config.fsyncIntervalMs,
      segmentBytes: config.segmentBytes,
      segmentMs: config.segmentMs,
      report: (event) => log({ ...event, component: 'storage' }),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'RIFFLE_ERR_DATA_FORMAT' || code === 'RIFFLE_ERR_DATA_DIR_IN_USE' || code === 'RIFFLE_ERR_METADATA_CORRUPT' || code === 'EACCES' || code === 'ENOTDIR') {
      throw new ConfigError(`cannot open the data directory ${config.dataDir}: ${(error as Error).message}`);
    }
    throw error;
  }
}

async function loadTls(config: RiffleConfig): Promise<{ key: string | Buffer; cert: string | Buffer }> {
  if (config.tlsCert !== undefined && config.tlsKey !== undefined) {
    return { cert: await readFile(config.tlsCert), key: await readFile(config.tlsKey) };
  }
  await mkdir(config.dataDir, { recursive: true });
  return ensureSelfSignedCertificate(config.dataDir);
}
