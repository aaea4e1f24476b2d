import { X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { createListener, createSigV4Verifier, ensureSelfSignedCertificate, type Listener, type TlsCertificate } from '@riffle/wire';
import { createCloudWatchAuthorizer, createCloudWatchService, createKinesisAuthorizer, createKinesisService, operationHandlers } from '@riffle/api';
import { MetricRegistry } from '@riffle/metrics';
import { systemClock } from '@riffle/engine';
import { openHostedAccounts, type HostedAccounts } from './account-engines.js';
import { openKeyring } from './keyring-file.js';
import { AccessKeyStore } from './access-keys/access-key-store.js';
import { AccessKeysError } from './access-keys/access-keys-error.js';
import { openAuditTrail, type AuditTrail } from './audit/audit-trail.js';
import type { RiffleConfig } from './config.js';
import { ConfigError } from './config.js';
import type { Logger } from './logger.js';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** SIGHUP: re-reads the access-key file and the TLS certificate. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** The composition root: storage -> engine -> api -> wire, started on the configured port. */
export async function startServer(config: RiffleConfig, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  // Before the data directory is locked: a bad key file should fail fast and touch nothing.
  const accessKeys = await openAccessKeys(config, log);
  const keyring = await openKeyring(config, env, log);
  const accounts = await openHostedAccounts(config, log, (accountId) => accessKeys?.hostsAccount(accountId) ?? false, keyring.load);
  const engine = accounts.primary;
  const authorize = accessKeys ? createKinesisAuthorizer({ region: config.region, now: () => systemClock.now() }) : undefined;
  const kinesis = createKinesisService({ engine, accounts, operations: operationHandlers, controlPlaneLimits: config.controlPlaneLimits, ...(authorize ? { authorize } : {}) });
  const cloudWatch = createCloudWatchService({
    metricsOf: metricsOfAccounts(accounts),
    accountId: config.accountId,
    now: () => systemClock.now(),
    ...(accessKeys ? { authorize: createCloudWatchAuthorizer({ now: () => systemClock.now() }) } : {}),
  });
  const tls = config.tls ? await loadTls(config) : undefined;
  const verifySignature = accessKeys
    ? createSigV4Verifier({ lookupKey: accessKeys.lookup, region: config.region, service: 'kinesis', now: () => systemClock.now() })
    : undefined;
  const audit = config.auditLog !== undefined ? await openAudit(config, log) : undefined;
  const listener = createListener({
    services: [kinesis, cloudWatch],
    tls,
    tlsOnly: config.tlsOnly,
    maxBodyBytes: config.maxBodyBytes,
    maxHeaderBytes: config.maxHeaderBytes,
    maxConnections: config.maxConnections,
    maxConcurrentStreams: config.maxConcurrentStreams,
    idleTimeoutMs: config.idleTimeoutMs,
    headersTimeoutMs: config.headersTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    log,
    ...(verifySignature ? { verifySignature } : {}),
    ...(audit ? { onRequestComplete: audit.onRequestComplete } : {}),
  });
  const address = await listener.listen(config.port, config.host);
  accessKeys?.watch();
  log({ event: 'started', host: address.host, port: address.port, store: config.store, ...(config.store === 'file' ? { dataDir: config.dataDir, fsync: config.fsync } : {}), tls: config.tls, ...(config.tlsOnly ? { tlsOnly: true } : {}), ...(tls ? { tlsCertificate: fingerprintOf(tls) } : {}), keyring: keyring.from, auth: config.auth, ...(accessKeys ? { accessKeys: accessKeys.size } : {}), region: config.region, accountId: config.accountId, throughput: config.throughput, controlPlaneLimits: config.controlPlaneLimits, ...(config.faults ? { faultInjection: config.faultInjection, faultSeed: config.faults.seed } : {}), ...(audit ? { auditLog: config.auditLog, auditDataEvents: config.auditDataEvents } : {}) });
  return {
    host: address.host,
    port: address.port,
    async reload() {
      if (tls) await reloadTls(config, listener, log);
      await accessKeys?.reload();
    },
    async close() {
      accessKeys?.close();
      await listener.close();
      // After the listener: the requests it let finish are in the audit log too.
      await audit?.close();
      await accounts.close();
    },
  };
}

/**
 * Each hosted account's metric registry, for CloudWatch's reads; undefined for an account not opened here.
 * TODO(lead): replace the placeholder registries with `engine.metrics` once each Engine has one, i.e.
 * `(accountId) => { const engine = accounts.engineOf(accountId); return engine instanceof Promise ? undefined : engine?.metrics; }`.
 */
function metricsOfAccounts(accounts: HostedAccounts): (accountId: string) => MetricRegistry | undefined {
  const placeholders = new WeakMap<object, MetricRegistry>();
  return (accountId) => {
    const engine = accounts.engineOf(accountId);
    if (engine === undefined || engine instanceof Promise) return undefined;
    const withMetrics = engine as { metrics?: unknown };
    if (withMetrics.metrics instanceof MetricRegistry) return withMetrics.metrics;
    let registry = placeholders.get(engine);
    if (registry === undefined) placeholders.set(engine, (registry = new MetricRegistry()));
    return registry;
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

async function openAudit(config: RiffleConfig, log: Logger): Promise<AuditTrail> {
  try {
    return await openAuditTrail({
      path: config.auditLog!,
      maxBytes: config.auditLogMaxBytes,
      files: config.auditLogFiles,
      dataEvents: config.auditDataEvents,
      region: config.region,
      accountId: config.accountId,
      log,
    });
  } catch (error) {
    throw new ConfigError(`cannot open the audit log ${config.auditLog}: ${(error as Error).message}`);
  }
}

/**
 * SIGHUP: the certificate files are read again (or the generated certificate, renewed when near expiry) and new
 * connections get them. A pair that cannot be read or does not fit is logged and the old certificate stays.
 */
async function reloadTls(config: RiffleConfig, listener: Listener, log: Logger): Promise<void> {
  try {
    const certificate = await loadTls(config);
    listener.setTlsCertificate(certificate);
    log({ event: 'tls-reloaded', tlsCertificate: fingerprintOf(certificate) });
  } catch (error) {
    log({ level: 'error', event: 'tls-reload-failed', error: (error as Error).message, action: 'the previous certificate stays' });
  }
}

/** SHA-256 fingerprint of the certificate (public; the key is never logged). */
function fingerprintOf(certificate: TlsCertificate): string | undefined {
  try {
    return new X509Certificate(certificate.cert).fingerprint256;
  } catch {
    return undefined;
  }
}

async function loadTls(config: RiffleConfig): Promise<TlsCertificate> {
  if (config.tlsCert !== undefined && config.tlsKey !== undefined) {
    return { cert: await readFile(config.tlsCert), key: await readFile(config.tlsKey) };
  }
  await mkdir(config.dataDir, { recursive: true });
  return ensureSelfSignedCertificate(config.dataDir);
}
