import { mkdir, readFile } from 'node:fs/promises';
import { createListener, ensureSelfSignedCertificate } from '@riffle/wire';
import { createKinesisService, operationHandlers } from '@riffle/api';
import { openHostedAccounts } from './account-engines.js';
import type { RiffleConfig } from './config.js';
import type { Logger } from './logger.js';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The composition root: storage -> engine -> api -> wire, started on the configured port. */
export async function startServer(config: RiffleConfig, log: Logger): Promise<RunningServer> {
  const accounts = await openHostedAccounts(config, log, () => false);
  const engine = accounts.primary;
  const kinesis = createKinesisService({ engine, accounts, operations: operationHandlers, controlPlaneLimits: config.controlPlaneLimits });
  const tls = config.tls ? await loadTls(config) : undefined;
  const listener = createListener({ services: [kinesis], tls, maxBodyBytes: config.maxBodyBytes, log });
  const address = await listener.listen(config.port, config.host);
  log({ event: 'started', host: address.host, port: address.port, store: config.store, ...(config.store === 'file' ? { dataDir: config.dataDir, fsync: config.fsync } : {}), tls: config.tls, region: config.region, accountId: config.accountId, throughput: config.throughput, controlPlaneLimits: config.controlPlaneLimits, ...(config.faults ? { faultInjection: config.faultInjection, faultSeed: config.faults.seed } : {}) });
  return {
    host: address.host,
    port: address.port,
    async close() {
      await listener.close();
      await accounts.close();
    },
  };
}

async function loadTls(config: RiffleConfig): Promise<{ key: string | Buffer; cert: string | Buffer }> {
  if (config.tlsCert !== undefined && config.tlsKey !== undefined) {
    return { cert: await readFile(config.tlsCert), key: await readFile(config.tlsKey) };
  }
  await mkdir(config.dataDir, { recursive: true });
  return ensureSelfSignedCertificate(config.dataDir);
}
