import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createListener, ensureSelfSignedCertificate } from '@riffle/wire';
import { createKinesisService, operationHandlers } from '@riffle/api';
import { Engine, EncryptionError, systemClock } from '@riffle/engine';
import { createMemoryStorage, DATA_LAYOUT, FileObjectStore, openFileStorage, type Storage } from '@riffle/storage';
import type { RiffleConfig } from './config.js';
import { ConfigError } from './config.js';
import { openKeyring } from './keyring-file.js';
import type { Logger } from './logger.js';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The composition root: storage -> engine -> api -> wire, started on the configured port. */
export async function startServer(config: RiffleConfig, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const keyring = await openKeyring(config, env, log);
  const storage = await openStorage(config, log);
  const engine = await openEngine(storage, {
    storage,
    clock: systemClock,
    keyring: keyring.load,
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
  const listener = createListener({ services: [kinesis], tls, maxBodyBytes: config.maxBodyBytes, log });
  const address = await listener.listen(config.port, config.host);
  log({ event: 'started', host: address.host, port: address.port, store: config.store, ...(config.store === 'file' ? { dataDir: config.dataDir, fsync: config.fsync } : {}), tls: config.tls, keyring: keyring.from, region: config.region, accountId: config.accountId, throughput: config.throughput, controlPlaneLimits: config.controlPlaneLimits, ...(config.faults ? { faultInjection: config.faultInjection, faultSeed: config.faults.seed } : {}) });
  return {
    host: address.host,
    port: address.port,
    async close() {
      await listener.close();
      await engine.close();
      await storage.close();
    },
  };
}

/** The engine on its storage; a master key that does not open the stored data keys stops the start, plainly. */
async function openEngine(storage: Storage, options: Parameters<typeof Engine.open>[0]): Promise<Engine> {
  try {
    return await Engine.open(options);
  } catch (error) {
    await storage.close().catch(() => undefined);
    if (error instanceof EncryptionError) throw new ConfigError(`cannot open the data: ${error.message}`);
    throw error;
  }
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
