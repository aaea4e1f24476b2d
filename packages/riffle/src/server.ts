import { X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { createListener, createSigV4Verifier, ensureSelfSignedCertificate, type Listener, type RequestCompletionHook, type TlsCertificate } from '@riffle/wire';
import { createCloudWatchAuthorizer, createCloudWatchService, createKinesisAuthorizer, createKinesisService, operationHandlers } from '@riffle/api';
import { systemClock } from '@riffle/engine';
import { PROMETHEUS_CONTENT_TYPE, type MetricRegistry } from '@riffle/metrics';
import { createConsolePort, type ConsolePort } from './console/console-port.js';
import { openHostedAccounts, type HostedAccounts } from './account-engines.js';
import { openKeyring } from './keyring-file.js';
import { AccessKeyStore } from './access-keys/access-key-store.js';
import { AccessKeysError } from './access-keys/access-keys-error.js';
import { openAuditTrail, type AuditTrail } from './audit/audit-trail.js';
import type { RiffleConfig } from './config.js';
import { ConfigError } from './config.js';
import type { Logger } from './logger.js';
import { ServerMetrics } from './server-metrics.js';
import { RIFFLE_VERSION } from './riffle-version.js';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** The console port's number, unless --console-port off. */
  readonly consolePort: number | undefined;
  /** SIGHUP: re-reads the access-key file and the TLS certificate. */
  reload(): Promise<void>;
  /** What `GET /metrics` answers: the AWS/Kinesis metrics and Riffle's own, in Prometheus text. */
  prometheusText(): string;
  close(): Promise<void>;
}

/** The composition root: storage -> engine -> api -> wire, started on the configured ports. */
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
  // Assigned below, once the listener exists; read only when /metrics is scraped.
  let connections = () => 0;
  const serverMetrics = new ServerMetrics({
    accounts: () => accounts.metered(),
    connections: () => connections(),
    dataDir: config.store === 'file' ? config.dataDir : undefined,
    version: RIFFLE_VERSION,
    registry: accounts.primary.metrics,
  });
  const onRequestComplete: RequestCompletionHook = audit
    ? (completion) => {
        serverMetrics.onRequestComplete(completion);
        audit.onRequestComplete(completion);
      }
    : serverMetrics.onRequestComplete;
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
    onRequestComplete,
  });
  connections = () => listener.connectionCount;
  let address: Awaited<ReturnType<typeof listener.listen>>;
  try {
    address = await listener.listen(config.port, config.host);
  } catch (error) {
    // Everything opened so far is closed, or a NATS connection would keep the process from exiting.
    await listener.close().catch(() => undefined);
    await audit?.close();
    await accounts.close();
    serverMetrics.close();
    throw new ConfigError(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  const metricsFlush = setInterval(() => void accounts.flushMetrics(), config.metricsFlushMs);
  metricsFlush.unref();
  let consolePort: ConsolePort | undefined;
  let consoleAddress: { port: number } | undefined;
  if (config.consolePort !== undefined) {
    consolePort = createConsolePort({
      assetsDir: config.consoleAssets,
      dispatch: listener.dispatch,
      prometheusText: () => serverMetrics.prometheusText(),
      prometheusContentType: PROMETHEUS_CONTENT_TYPE,
      settings: { region: config.region, auth: config.auth },
      tls,
      maxHeaderBytes: config.maxHeaderBytes,
      idleTimeoutMs: config.idleTimeoutMs,
      headersTimeoutMs: config.headersTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
      log,
    });
    try {
      consoleAddress = await consolePort.listen(config.consolePort, config.host);
    } catch (error) {
      clearInterval(metricsFlush);
      await listener.close();
      await audit?.close();
      await accounts.close();
      serverMetrics.close();
      throw new ConfigError(`cannot listen on the console port ${config.host}:${config.consolePort}: ${(error as Error).message} (--console-port off switches it off)`);
    }
  }
  accessKeys?.watch();
  log({ event: 'started', host: address.host, port: address.port, ...(consoleAddress ? { consolePort: consoleAddress.port } : {}), store: config.store, ...(config.store === 'file' ? { dataDir: config.dataDir, fsync: config.fsync } : {}), ...(config.store === 'nats' ? { natsServers: config.natsServers, natsReplicas: config.natsReplicas } : {}), tls: config.tls, ...(config.tlsOnly ? { tlsOnly: true } : {}), ...(tls ? { tlsCertificate: fingerprintOf(tls) } : {}), keyring: keyring.from, auth: config.auth, ...(accessKeys ? { accessKeys: accessKeys.size } : {}), region: config.region, accountId: config.accountId, throughput: config.throughput, controlPlaneLimits: config.controlPlaneLimits, ...(config.faults ? { faultInjection: config.faultInjection, faultSeed: config.faults.seed } : {}), ...(audit ? { auditLog: config.auditLog, auditDataEvents: config.auditDataEvents } : {}) });
  return {
    host: address.host,
    port: address.port,
    consolePort: consoleAddress?.port,
    prometheusText: () => serverMetrics.prometheusText(),
    async reload() {
      if (tls) await reloadTls(config, listener, log, consolePort);
      await accessKeys?.reload();
    },
    async close() {
      accessKeys?.close();
      clearInterval(metricsFlush);
      await consolePort?.close();
      await listener.close();
      // After the listener: the requests it let finish are in the audit log too.
      await audit?.close();
      await accounts.close();
      serverMetrics.close();
    },
  };
}

/**
 * Each hosted account's metric registry, for CloudWatch's reads; undefined for an account not opened here.
 * TODO(lead): replace the placeholder registries with `engine.metrics` once each Engine has one, i.e.
 * `(accountId) => { const engine = accounts.engineOf(accountId); return engine instanceof Promise ? undefined : engine?.metrics; }`.
 */
/** CloudWatch reads an account's metrics; a hosted account not open yet is opened (its journal read) for the next call. */
function metricsOfAccounts(accounts: HostedAccounts): (accountId: string) => MetricRegistry | undefined {
  return (accountId) => {
    void Promise.resolve(accounts.engineOf(accountId)).catch(() => undefined);
    return accounts.metricsOf(accountId);
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
async function reloadTls(config: RiffleConfig, listener: Listener, log: Logger, consolePort: ConsolePort | undefined): Promise<void> {
  try {
    const certificate = await loadTls(config);
    listener.setTlsCertificate(certificate);
    consolePort?.setTlsCertificate(certificate);
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
