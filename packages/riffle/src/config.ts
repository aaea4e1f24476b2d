import { fileURLToPath } from 'node:url';
import { kinesisOperations } from '@riffle/api';
import { decodeMasterKey, FaultSpecError, parseFaultSpec, type FaultPlan } from '@riffle/engine';
import type { AccessKey } from '@riffle/wire';
import { AccessKeysError } from './access-keys/access-keys-error.js';
import { parseAccessKeysEnv } from './access-keys/access-keys-env.js';

/**
 * Everything a user can set, in one typed configuration: command-line flags, then `RIFFLE_*` environment
 * variables, then defaults. The README's configuration table is generated from `settings` by hand; keep both.
 */

export type StoreKind = 'memory' | 'file' | 'nats';

export interface RiffleConfig {
  host: string;
  port: number;
  /** The console port (web console, /metrics, API passthrough); undefined: switched off. */
  consolePort: number | undefined;
  /** The built web console served at / of the console port. */
  consoleAssets: string;
  dataDir: string;
  store: StoreKind;
  /** With `--store nats://...`: the JetStream cluster's server URLs. */
  natsServers: string[];
  natsCredsFile: string | undefined;
  natsUser: string | undefined;
  /** Environment only (RIFFLE_NATS_PASSWORD, RIFFLE_NATS_TOKEN): secrets have no place on a command line. */
  natsPassword: string | undefined;
  natsToken: string | undefined;
  natsTlsCa: string | undefined;
  natsTlsCert: string | undefined;
  natsTlsKey: string | undefined;
  natsReplicas: number;
  natsPrefix: string;
  fsync: 'always' | 'interval';
  fsyncIntervalMs: number;
  segmentBytes: number;
  segmentMs: number;
  retentionCheckMs: number;
  onDemandScalingCheckMs: number;
  tls: boolean;
  tlsOnly: boolean;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  maxHeaderBytes: number;
  maxConnections: number;
  maxConcurrentStreams: number;
  idleTimeoutMs: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  auditLog: string | undefined;
  auditLogMaxBytes: number;
  auditLogFiles: number;
  auditDataEvents: boolean;
  metricsFlushMs: number;
  metricsMaxSeries: number;
  accountId: string;
  region: string;
  shardLimit: number;
  onDemandStreamLimit: number;
  createStreamMs: number;
  deleteStreamMs: number;
  updateStreamMs: number;
  throughput: boolean;
  controlPlaneLimits: boolean;
  /** Deprecated: `off` switches off both of the above unless they are set themselves. */
  limits: boolean | undefined;
  faultInjection: string | undefined;
  faultSeed: number | undefined;
  /** From faultInjection and faultSeed (a random seed when none is given, logged at start). */
  faults: FaultPlan | undefined;
  channelFreshnessMs: number | undefined;
  channelObjectBytes: number;
  maxBodyBytes: number;
  logLevel: 'quiet' | 'info' | 'debug';
  auth: 'permissive' | 'strict';
  accessKeysFile: string | undefined;
  /** From RIFFLE_ACCESS_KEYS only (a secret has no place on a command line): keys with full access. */
  accessKeys: readonly AccessKey[];
  /** The keyring file of encryption at rest; undefined: the default location, unless masterKey is set. */
  keyring: string | undefined;
  /** From RIFFLE_MASTER_KEY only (never a flag: command lines are visible to every user of the machine). */
  masterKey: Buffer | undefined;
}

type Kind = 'string' | 'integer' | 'boolean';

export interface Setting {
  key: keyof RiffleConfig;
  flag: string;
  env: string;
  kind: Kind;
  /** A function of the other settings where the default depends on them (the shard quota on the region). */
  default: unknown;
  choices?: readonly string[];
  description: string;
}

/** AWS's 2026 default shard quota: 20,000 in the three largest regions, 1,000 elsewhere (reference §3.11). */
export function defaultShardLimit(region: string): number {
  return ['us-east-1', 'us-west-2', 'eu-west-1'].includes(region) ? 20000 : 1000;
}

/** packages/riffle/dist/src -> packages/console/dist/web, where the console's Vite build writes. */
function defaultConsoleAssets(): string {
  return fileURLToPath(new URL('../../../console/dist/web', import.meta.url));
}

export const settings: readonly Setting[] = [
  { key: 'port', flag: 'port', env: 'RIFFLE_PORT', kind: 'integer', default: 4567, description: 'API port: HTTP/1.1, HTTP/2 (h2c) and, with TLS, HTTPS on the same port' },
  { key: 'consolePort', flag: 'console-port', env: 'RIFFLE_CONSOLE_PORT', kind: 'string', default: '4568', description: 'Console port, on the same --host (HTTPS when TLS is on): the web console at /, Prometheus metrics at /metrics, and the API for the console\'s signed calls; off switches it off' },
  { key: 'consoleAssets', flag: 'console-assets', env: 'RIFFLE_CONSOLE_ASSETS', kind: 'string', default: defaultConsoleAssets(), description: 'Directory of the built web console the console port serves (npm run build makes it)' },
  { key: 'host', flag: 'host', env: 'RIFFLE_HOST', kind: 'string', default: '127.0.0.1', description: 'Address to listen on (0.0.0.0 for every interface)' },
  { key: 'dataDir', flag: 'data-dir', env: 'RIFFLE_DATA_DIR', kind: 'string', default: './.riffle-data', description: 'Directory for Riffle\'s files: streams, metadata, the generated TLS certificate' },
  { key: 'store', flag: 'store', env: 'RIFFLE_STORE', kind: 'string', default: 'file', description: 'Where records live: file (on disk under --data-dir, survives crashes), memory (lost on exit), or nats://host:4222[,host2:4222,...] (a NATS JetStream cluster, replicated)' },
  { key: 'natsCredsFile', flag: 'nats-creds', env: 'RIFFLE_NATS_CREDS', kind: 'string', default: undefined, description: 'With --store nats://: a NATS credentials file (JWT and NKey seed)' },
  { key: 'natsUser', flag: 'nats-user', env: 'RIFFLE_NATS_USER', kind: 'string', default: undefined, description: 'With --store nats://: the user name; the password comes from RIFFLE_NATS_PASSWORD' },
  { key: 'natsTlsCa', flag: 'nats-tls-ca', env: 'RIFFLE_NATS_TLS_CA', kind: 'string', default: undefined, description: 'With --store nats://: TLS to the servers, trusting this CA (PEM)' },
  { key: 'natsTlsCert', flag: 'nats-tls-cert', env: 'RIFFLE_NATS_TLS_CERT', kind: 'string', default: undefined, description: 'With --store nats://: the client certificate (PEM) for TLS to the servers' },
  { key: 'natsTlsKey', flag: 'nats-tls-key', env: 'RIFFLE_NATS_TLS_KEY', kind: 'string', default: undefined, description: 'With --store nats://: the client certificate\'s key (PEM)' },
  { key: 'natsReplicas', flag: 'nats-replicas', env: 'RIFFLE_NATS_REPLICAS', kind: 'integer', default: 3, description: 'With --store nats://: replicas of every JetStream stream and bucket (3 on a 3-node cluster, 1 on a single server)' },
  { key: 'natsPrefix', flag: 'nats-prefix', env: 'RIFFLE_NATS_PREFIX', kind: 'string', default: 'riffle', description: 'With --store nats://: the names of Riffle\'s JetStream streams and buckets start with this, so that several Riffle deployments can share a cluster' },
  { key: 'fsync', flag: 'fsync', env: 'RIFFLE_FSYNC', kind: 'string', default: 'always', choices: ['always', 'interval'], description: 'always: a put is answered once its records are fsync\'d; interval: at once, fsync\'d every --fsync-interval-ms (a power loss or kernel crash can lose that much; a crash of Riffle alone loses nothing)' },
  { key: 'fsyncIntervalMs', flag: 'fsync-interval-ms', env: 'RIFFLE_FSYNC_INTERVAL_MS', kind: 'integer', default: 1000, description: 'With --fsync interval, how often written records are fsync\'d' },
  { key: 'segmentBytes', flag: 'segment-bytes', env: 'RIFFLE_SEGMENT_BYTES', kind: 'integer', default: 64 * 1024 * 1024, description: 'A shard\'s log segment is rolled before it grows past this size' },
  { key: 'segmentMs', flag: 'segment-ms', env: 'RIFFLE_SEGMENT_MS', kind: 'integer', default: 60 * 60 * 1000, description: 'A segment is rolled once its first record is this old (retention deletes whole segments)' },
  { key: 'onDemandScalingCheckMs', flag: 'on-demand-scaling-check-ms', env: 'RIFFLE_ON_DEMAND_SCALING_CHECK_MS', kind: 'integer', default: 60_000, description: 'How often on-demand streams get the shards their capacity needs (twice the peak write minute of the last 30 days, or their warm throughput; 0 never)' },
  { key: 'retentionCheckMs', flag: 'retention-check-ms', env: 'RIFFLE_RETENTION_CHECK_MS', kind: 'integer', default: 60_000, description: 'How often records past their stream\'s retention are trimmed and expired segments deleted' },
  { key: 'tls', flag: 'tls', env: 'RIFFLE_TLS', kind: 'boolean', default: false, description: 'Also accept TLS on the port, with a self-signed certificate generated into the data directory' },
  { key: 'tlsCert', flag: 'tls-cert', env: 'RIFFLE_TLS_CERT', kind: 'string', default: undefined, description: 'PEM certificate file for TLS (implies --tls)' },
  { key: 'tlsKey', flag: 'tls-key', env: 'RIFFLE_TLS_KEY', kind: 'string', default: undefined, description: 'PEM private key file for TLS (implies --tls)' },
  { key: 'tlsOnly', flag: 'tls-only', env: 'RIFFLE_TLS_ONLY', kind: 'boolean', default: false, description: 'Refuse plain connections: HTTP/1.1 gets a 400 saying TLS is required, h2c a GOAWAY (implies --tls)' },
  { key: 'maxHeaderBytes', flag: 'max-header-bytes', env: 'RIFFLE_MAX_HEADER_BYTES', kind: 'integer', default: 16 * 1024, description: 'Largest request head: HTTP/1.1 request line and headers (431 above it), HTTP/2 header list (the stream is reset)' },
  { key: 'maxConnections', flag: 'max-connections', env: 'RIFFLE_MAX_CONNECTIONS', kind: 'integer', default: 10_000, description: 'Connections open at once; one more is closed as soon as it is accepted' },
  { key: 'maxConcurrentStreams', flag: 'max-concurrent-streams', env: 'RIFFLE_MAX_CONCURRENT_STREAMS', kind: 'integer', default: 1000, description: 'HTTP/2 streams (requests, SubscribeToShard sessions) open at once on one connection' },
  { key: 'idleTimeoutMs', flag: 'idle-timeout-ms', env: 'RIFFLE_IDLE_TIMEOUT_MS', kind: 'integer', default: 60_000, description: 'A connection with no request in flight (keep-alive, an HTTP/2 session with no open stream) is closed after this long; SubscribeToShard streams are never idle' },
  { key: 'headersTimeoutMs', flag: 'headers-timeout-ms', env: 'RIFFLE_HEADERS_TIMEOUT_MS', kind: 'integer', default: 30_000, description: 'The TLS handshake and each request\'s headers must arrive within this long (408 and close otherwise: slow clients)' },
  { key: 'requestTimeoutMs', flag: 'request-timeout-ms', env: 'RIFFLE_REQUEST_TIMEOUT_MS', kind: 'integer', default: 120_000, description: 'Each request\'s whole body must arrive within this long of its start (408 otherwise); responses and event streams are not bounded by it' },
  { key: 'auditLog', flag: 'audit-log', env: 'RIFFLE_AUDIT_LOG', kind: 'string', default: undefined, description: 'Write an audit log of API calls to this file, one CloudTrail record (JSON) a line' },
  { key: 'auditLogMaxBytes', flag: 'audit-log-max-bytes', env: 'RIFFLE_AUDIT_LOG_MAX_BYTES', kind: 'integer', default: 100 * 1024 * 1024, description: 'The audit log is rotated (FILE to FILE.1, FILE.1 to FILE.2, ...) before it grows past this' },
  { key: 'auditLogFiles', flag: 'audit-log-files', env: 'RIFFLE_AUDIT_LOG_FILES', kind: 'integer', default: 5, description: 'Rotated audit log files kept (FILE.1 to FILE.N); older ones are deleted' },
  { key: 'auditDataEvents', flag: 'audit-data-events', env: 'RIFFLE_AUDIT_DATA_EVENTS', kind: 'boolean', default: false, description: 'Also audit the data plane (PutRecord, PutRecords, GetRecords, GetShardIterator, SubscribeToShard), as CloudTrail\'s data events; record data is never written' },
  { key: 'metricsFlushMs', flag: 'metrics-flush-ms', env: 'RIFFLE_METRICS_FLUSH_MS', kind: 'integer', default: 60_000, description: 'How often the per-minute metrics are appended to <data-dir>/metrics/ (and at shutdown), so that they survive a restart' },
  { key: 'metricsMaxSeries', flag: 'metrics-max-series', env: 'RIFFLE_METRICS_MAX_SERIES', kind: 'integer', default: 5_000, description: 'Metric series kept per account (a day of minutes each, ~75 KB at most); past it the series idle longest is dropped' },
  { key: 'accountId', flag: 'account-id', env: 'RIFFLE_ACCOUNT_ID', kind: 'string', default: '000000000000', description: '12-digit account id used in ARNs and messages' },
  { key: 'region', flag: 'region', env: 'RIFFLE_REGION', kind: 'string', default: 'us-east-1', description: 'Region used in ARNs and messages' },
  { key: 'shardLimit', flag: 'shard-limit', env: 'RIFFLE_SHARD_LIMIT', kind: 'integer', default: defaultShardLimit, description: 'Open shards allowed per account (AWS default: 20000 in us-east-1, us-west-2, eu-west-1; 1000 elsewhere)' },
  { key: 'onDemandStreamLimit', flag: 'on-demand-stream-limit', env: 'RIFFLE_ON_DEMAND_STREAM_LIMIT', kind: 'integer', default: 50, description: 'On-demand streams allowed per account' },
  { key: 'createStreamMs', flag: 'create-stream-ms', env: 'RIFFLE_CREATE_STREAM_MS', kind: 'integer', default: 500, description: 'Time a new stream spends in CREATING (0 = ACTIVE at once)' },
  { key: 'deleteStreamMs', flag: 'delete-stream-ms', env: 'RIFFLE_DELETE_STREAM_MS', kind: 'integer', default: 500, description: 'Time a deleted stream spends in DELETING' },
  { key: 'updateStreamMs', flag: 'update-stream-ms', env: 'RIFFLE_UPDATE_STREAM_MS', kind: 'integer', default: 500, description: 'Time a stream spends in UPDATING' },
  { key: 'throughput', flag: 'throughput', env: 'RIFFLE_THROUGHPUT', kind: 'boolean', default: true, description: 'AWS\'s per-shard limits: 1 MiB/s and 1,000 records/s in, 5 GetRecords calls/s and 2 MiB/s out, 5 GetShardIterator calls/s (ProvisionedThroughputExceededException)' },
  { key: 'controlPlaneLimits', flag: 'control-plane-limits', env: 'RIFFLE_CONTROL_PLANE_LIMITS', kind: 'boolean', default: true, description: 'AWS\'s per-account call rates of the control plane, e.g. CreateStream 5/s, DescribeStream 10/s (LimitExceededException)' },
  { key: 'limits', flag: 'limits', env: 'RIFFLE_LIMITS', kind: 'boolean', default: undefined, description: 'Deprecated: off is --throughput off --control-plane-limits off' },
  { key: 'faultInjection', flag: 'fault-injection', env: 'RIFFLE_FAULT_INJECTION', kind: 'string', default: undefined, description: 'Answer a share of calls with throttling or InternalFailure, per operation: Operation:kind=share[:kind=share],... with kind throttle or internal, e.g. PutRecords:throttle=0.1,GetRecords:internal=0.05 (* for every other operation)' },
  { key: 'faultSeed', flag: 'fault-seed', env: 'RIFFLE_FAULT_SEED', kind: 'integer', default: undefined, description: 'Seed of --fault-injection\'s draws, to repeat a run (random and logged at start when not set)' },
  { key: 'channelFreshnessMs', flag: 'channel-freshness-ms', env: 'RIFFLE_CHANNEL_FRESHNESS_MS', kind: 'integer', default: undefined, description: 'How long every channel buffers records before writing an object, instead of its DataFreshnessInSeconds (300-900 s on AWS; set it low for tests)' },
  { key: 'channelObjectBytes', flag: 'channel-object-bytes', env: 'RIFFLE_CHANNEL_OBJECT_BYTES', kind: 'integer', default: 64 * 1024 * 1024, description: 'A channel writes an object before its freshness time once it has buffered this many bytes of records' },
  { key: 'maxBodyBytes', flag: 'max-body-bytes', env: 'RIFFLE_MAX_BODY_BYTES', kind: 'integer', default: 16 * 1024 * 1024, description: 'Largest request body accepted (413 above it)' },
  { key: 'auth', flag: 'auth', env: 'RIFFLE_AUTH', kind: 'string', default: 'permissive', choices: ['permissive', 'strict'], description: 'permissive: any well-formed signature is accepted (local development); strict: SigV4 is verified against the keys of --access-keys and RIFFLE_ACCESS_KEYS' },
  // RIFFLE_ACCESS_KEYS (AKID:SECRET:ACCOUNTID[,...]) holds keys themselves, so the file's variable has another name.
  { key: 'accessKeysFile', flag: 'access-keys', env: 'RIFFLE_ACCESS_KEYS_FILE', kind: 'string', default: undefined, description: 'JSON file of access keys, session tokens and policies for --auth strict; re-read when it changes and on SIGHUP' },
  { key: 'keyring', flag: 'keyring', env: 'RIFFLE_KEYRING', kind: 'string', default: undefined, description: 'Keyring file of encryption at rest: JSON with the master key (base64 of 32 bytes) and optional customer keys (key ids, aliases, ARNs); created with a random master key at first need if missing. Default $XDG_CONFIG_HOME/riffle/keyring.json or ~/.config/riffle/keyring.json; never inside --data-dir. Or set RIFFLE_MASTER_KEY instead' },
  { key: 'logLevel', flag: 'log-level', env: 'RIFFLE_LOG_LEVEL', kind: 'string', default: 'info', choices: ['quiet', 'info', 'debug'], description: 'Structured JSON log lines on stderr: quiet, info (start, stop, faults) or debug' },
];

export class ConfigError extends Error {
  readonly code = 'RIFFLE_ERR_CONFIG';
}

function parseValue(setting: Setting, raw: string, source: string): unknown {
  switch (setting.kind) {
    case 'integer': {
      if (!/^\d+$/.test(raw)) throw new ConfigError(`${source}: expected a whole number, got '${raw}'`);
      return Number(raw);
    }
    case 'boolean': {
      const value = raw.toLowerCase();
      if (['1', 'true', 'on', 'yes', ''].includes(value)) return true;
      if (['0', 'false', 'off', 'no'].includes(value)) return false;
      throw new ConfigError(`${source}: expected on or off, got '${raw}'`);
    }
    case 'string': {
      if (setting.choices && !setting.choices.includes(raw)) {
        throw new ConfigError(`${source}: expected one of ${setting.choices.join(', ')}, got '${raw}'`);
      }
      return raw;
    }
  }
}

/** Flags (already parsed, as strings or booleans) win over the environment, which wins over defaults. */
export function resolveConfig(flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): RiffleConfig {
  const config: Record<string, unknown> = {};
  const deferred: Setting[] = [];
  const given = new Set<keyof RiffleConfig>();
  for (const setting of settings) {
    const flag = flags[setting.flag];
    const fromEnv = env[setting.env];
    if (flag !== undefined) {
      config[setting.key] = typeof flag === 'boolean' ? flag : parseValue(setting, flag, `--${setting.flag}`);
      given.add(setting.key);
    } else if (fromEnv !== undefined && fromEnv !== '') {
      config[setting.key] = parseValue(setting, fromEnv, setting.env);
      given.add(setting.key);
    } else if (typeof setting.default === 'function') {
      deferred.push(setting);
    } else {
      config[setting.key] = setting.default;
    }
  }
  for (const setting of deferred) config[setting.key] = (setting.default as (region: string) => unknown)(config.region as string);
  const result = config as unknown as RiffleConfig;
  if (!/^\d{12}$/.test(result.accountId)) throw new ConfigError(`account id must be 12 digits, got '${result.accountId}'`);
  if (result.port > 65535) throw new ConfigError(`port must be at most 65535, got ${result.port}`);
  result.consolePort = consolePortOf(result.consolePort as unknown as string);
  storeOf(result, env);
  if ((result.tlsCert === undefined) !== (result.tlsKey === undefined)) {
    throw new ConfigError('--tls-cert and --tls-key go together');
  }
  if (result.tlsCert !== undefined || result.tlsOnly) result.tls = true;
  for (const [key, flag] of [['maxHeaderBytes', 'max-header-bytes'], ['maxConnections', 'max-connections'], ['maxConcurrentStreams', 'max-concurrent-streams'], ['idleTimeoutMs', 'idle-timeout-ms'], ['headersTimeoutMs', 'headers-timeout-ms'], ['requestTimeoutMs', 'request-timeout-ms'], ['auditLogFiles', 'audit-log-files'], ['metricsFlushMs', 'metrics-flush-ms'], ['metricsMaxSeries', 'metrics-max-series']] as const) {
    if (result[key] < 1) throw new ConfigError(`--${flag} must be at least 1`);
  }
  if (result.maxHeaderBytes < 1024) throw new ConfigError(`--max-header-bytes must be at least 1024, got ${result.maxHeaderBytes}`);
  // Node refuses a headers timeout above the request timeout.
  if (result.headersTimeoutMs > result.requestTimeoutMs) throw new ConfigError('--headers-timeout-ms must not exceed --request-timeout-ms');
  if (result.auditLogMaxBytes < 1024) throw new ConfigError(`--audit-log-max-bytes must be at least 1024, got ${result.auditLogMaxBytes}`);
  if (result.auditDataEvents && result.auditLog === undefined) throw new ConfigError('--audit-data-events needs --audit-log FILE');
  if (result.limits === false) {
    if (!given.has('throughput')) result.throughput = false;
    if (!given.has('controlPlaneLimits')) result.controlPlaneLimits = false;
  }
  result.faults = faultPlanOf(result);
  if (result.segmentBytes < 1024 || result.segmentBytes > 1024 * 1024 * 1024) {
    throw new ConfigError(`--segment-bytes must be between 1024 and 1073741824, got ${result.segmentBytes}`);
  }
  if (result.channelObjectBytes < 1) throw new ConfigError('--channel-object-bytes must be at least 1');
  result.accessKeys = accessKeysOf(env);
  if (result.auth === 'strict' && result.accessKeysFile === undefined && result.accessKeys.length === 0) {
    throw new ConfigError('--auth strict needs access keys: --access-keys FILE or RIFFLE_ACCESS_KEYS=AKID:SECRET:ACCOUNTID[,...]');
  }
  result.masterKey = masterKeyOf(env);
  if (result.masterKey !== undefined && result.keyring !== undefined) {
    throw new ConfigError('RIFFLE_MASTER_KEY and --keyring (RIFFLE_KEYRING) both give the master key: set one of them');
  }
  return result;
}

/** `--store`: file, memory, or the NATS servers' URLs (`nats://` or `tls://`, comma-separated). */
function storeOf(result: RiffleConfig, env: NodeJS.ProcessEnv): void {
  const raw = result.store as string;
  result.natsServers = [];
  result.natsPassword = env.RIFFLE_NATS_PASSWORD || undefined;
  result.natsToken = env.RIFFLE_NATS_TOKEN || undefined;
  if (raw === 'file' || raw === 'memory') return;
  const servers = raw.split(',').map((server) => server.trim()).filter((server) => server !== '');
  if (servers.length === 0 || !servers.every((server) => /^(nats|tls):\/\/[^\s/]+$/.test(server))) {
    throw new ConfigError(`--store: expected file, memory or nats://host:port[,nats://host:port...], got '${raw}'`);
  }
  if (result.natsReplicas < 1 || result.natsReplicas > 5) throw new ConfigError(`--nats-replicas must be between 1 and 5 (JetStream's limit), got ${result.natsReplicas}`);
  if ((result.natsTlsCert === undefined) !== (result.natsTlsKey === undefined)) throw new ConfigError('--nats-tls-cert and --nats-tls-key go together');
  result.store = 'nats';
  result.natsServers = servers;
}

function consolePortOf(raw: string): number | undefined {
  if (raw.toLowerCase() === 'off') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new ConfigError(`--console-port: expected a port (0-65535) or off, got '${raw}'`);
  return Number(raw);
}

function accessKeysOf(env: NodeJS.ProcessEnv): AccessKey[] {
  const value = env.RIFFLE_ACCESS_KEYS;
  if (value === undefined || value.trim() === '') return [];
  try {
    return parseAccessKeysEnv(value);
  } catch (error) {
    if (error instanceof AccessKeysError) throw new ConfigError(error.message);
    throw error;
  }
}

/** RIFFLE_MASTER_KEY, checked; the message never repeats the value. */
function masterKeyOf(env: NodeJS.ProcessEnv): Buffer | undefined {
  const text = env.RIFFLE_MASTER_KEY;
  if (text === undefined || text === '') return undefined;
  const key = decodeMasterKey(text);
  if (!key) throw new ConfigError('RIFFLE_MASTER_KEY must be the base64 of 32 random bytes (for example: openssl rand -base64 32)');
  return key;
}

function faultPlanOf(config: RiffleConfig): FaultPlan | undefined {
  if (config.faultInjection === undefined || config.faultInjection.trim() === '') return undefined;
  try {
    const rules = parseFaultSpec(config.faultInjection, Object.keys(kinesisOperations));
    return { rules, seed: config.faultSeed ?? Math.floor(Math.random() * 2 ** 31) };
  } catch (error) {
    if (error instanceof FaultSpecError) throw new ConfigError(`--fault-injection: ${error.message}`);
    throw error;
  }
}
