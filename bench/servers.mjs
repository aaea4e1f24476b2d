// The servers under test, described generically: how to spawn one on given ports with a given store.
// A "target" is a server plus the transport the client speaks to it; each target gets its own server process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { natsUnavailable } from './nats-cluster.mjs';
import { startRiffleCluster } from './riffle-cluster.mjs';
import { BENCH_CREDENTIALS } from './sigv4-sign.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const fromRoot = (relative) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

// BENCH_RIFFLE_MAIN points at another build (e.g. a baseline checkout) to compare Riffle with itself.
const riffleMain = process.env.BENCH_RIFFLE_MAIN ?? fromRoot('packages/riffle/dist/src/main.js');
// BENCH_RIFFLE_CPU_PROF=<dir> runs every Riffle server under `node --cpu-prof` (one .cpuprofile per process, written
// when the harness stops it); `node bench/cpu-profile-top.mjs <dir>` summarises them.
const riffleNodeArgs = process.env.BENCH_RIFFLE_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_RIFFLE_CPU_PROF] : [];
const kinesaliteLauncher = fromRoot('bench/launchers/kinesalite-loopback.mjs');
const kinesisLocalMain = fromRoot('node_modules/kinesis-local/main.js');

let serveHelp;
/** `riffle serve --help` of the build under test (BENCH_RIFFLE_MAIN may be an older one), read once. */
function riffleServeHelp() {
  serveHelp ??= spawnSync(process.execPath, [riffleMain, 'serve', '--help'], { encoding: 'utf8' }).stdout;
  return serveHelp;
}

/**
 * AWS's limits off, so that the benchmark measures Riffle (DESIGN.md §4). A baseline build from before
 * --throughput and --control-plane-limits knows only --limits (which enforced nothing), so its help decides.
 */
function limitsOffArgs() {
  return riffleServeHelp().includes('--control-plane-limits') ? ['--throughput', 'off', '--control-plane-limits', 'off'] : ['--limits', 'off'];
}

/** No console port: its fixed default would collide with a Riffle already running (and older builds have none). */
function consoleOffArgs() {
  return riffleServeHelp().includes('--console-port') ? ['--console-port', 'off'] : [];
}

/**
 * @typedef {object} SpawnSpec
 * @property {string} command
 * @property {string[]} args
 * @property {Record<string, string>} [env]   merged over process.env
 * @property {string} [cwd]
 *
 * @typedef {object} ServerKind
 * @property {string} name
 * @property {number} portCount              ports to allocate; the first one is the one the client uses
 * @property {() => string | undefined} unavailable   reason it cannot run, or undefined
 * @property {(options: { ports: number[], store: string, fsync?: 'always' | 'interval', dataDir: string }) => SpawnSpec} [spawnSpec]
 *           fsync applies to Riffle's file store only (default always, Riffle's own default); store is memory, file
 *           or (for a cluster's nodes) the NATS URLs
 * @property {(options: { readyTimeoutMs: number, stopTimeoutMs: number }) => Promise<import('./server-process.mjs').RunningServer>} [start]
 *           instead of spawnSpec: a kind made of several processes (the cluster targets) starts itself
 */

/** A cluster kind: `riffleNodes` Riffle nodes over a 3-node JetStream cluster, all on 127.0.0.1. */
function riffleClusterKind(name, riffleNodes) {
  return {
    name,
    unavailable: () => serverKinds.riffle.unavailable() ?? natsUnavailable(),
    start: (options) => startRiffleCluster({ name, riffleNodes, riffleKind: serverKinds.riffle, ...options }),
  };
}

/** @type {Record<string, ServerKind>} */
export const serverKinds = {
  riffle: {
    name: 'riffle',
    portCount: 1,
    unavailable: () => (existsSync(riffleMain) ? undefined : `not built: ${riffleMain} is missing`),
    spawnSpec: ({ ports: [port], store, fsync = 'always', dataDir }) => ({
      command: process.execPath,
      args: [
        ...riffleNodeArgs,
        riffleMain, 'serve',
        '--host', '127.0.0.1', '--port', String(port),
        // Always a temp dir: Riffle keeps more than records there (its TLS certificate), never in the repo.
        '--store', store, '--data-dir', dataDir,
        ...(store === 'file' ? ['--fsync', fsync] : []),
        '--create-stream-ms', '0', '--delete-stream-ms', '0', '--update-stream-ms', '0',
        ...limitsOffArgs(),
        ...consoleOffArgs(),
      ],
      cwd: repoRoot,
    }),
  },
  // Riffle verifying every signature (--auth strict): its ratio to riffle is the cost of verification.
  'riffle-strict': {
    name: 'riffle-strict',
    portCount: 1,
    unavailable: () => {
      if (!existsSync(riffleMain)) return `not built: ${riffleMain} is missing`;
      return riffleServeHelp().includes('--auth') ? undefined : 'this Riffle build has no --auth strict';
    },
    spawnSpec: (options) => {
      const spec = serverKinds.riffle.spawnSpec(options);
      const { accessKeyId, secretAccessKey, accountId } = BENCH_CREDENTIALS;
      return { ...spec, args: [...spec.args, '--auth', 'strict'], env: { RIFFLE_ACCESS_KEYS: `${accessKeyId}:${secretAccessKey}:${accountId}` } };
    },
  },
  'riffle-nats': riffleClusterKind('riffle-nats', 1),
  'riffle-nats-2': riffleClusterKind('riffle-nats-2', 2),
  kinesalite: {
    name: 'kinesalite',
    portCount: 1,
    unavailable: () => (existsSync(fromRoot('node_modules/kinesalite/index.js')) ? undefined : 'kinesalite is not installed'),
    // In-memory (memdown) by default; `--path` switches it to on-disk LevelDB.
    spawnSpec: ({ ports: [port], store, dataDir }) => ({
      command: process.execPath,
      args: [kinesaliteLauncher, String(port), ...(store === 'file' ? [dataDir] : [])],
      cwd: repoRoot,
    }),
  },
  'kinesis-local': {
    name: 'kinesis-local',
    portCount: 2,
    unavailable: () => (existsSync(kinesisLocalMain) ? undefined : 'kinesis-local is not installed'),
    // Configured through environment variables (its README); it always opens a TLS port too, which we ignore.
    spawnSpec: ({ ports: [plainPort, tlsPort], store, dataDir }) => ({
      command: process.execPath,
      args: [kinesisLocalMain],
      cwd: dataDir,
      env: {
        KINESIS_MOCK_PLAIN_PORT: String(plainPort),
        KINESIS_MOCK_TLS_PORT: String(tlsPort),
        KINESIS_MOCK_CERT_PATH: fromRoot('node_modules/kinesis-local/server.json'),
        SHARD_LIMIT: '10000',
        ON_DEMAND_STREAM_COUNT_LIMIT: '10000',
        CREATE_STREAM_DURATION: '0ms',
        DELETE_STREAM_DURATION: '0ms',
        UPDATE_SHARD_COUNT_DURATION: '0ms',
        // Consumers ACTIVE at once, as Riffle's with --create-stream-ms 0 (fan-out registers up to 20 per case).
        REGISTER_STREAM_CONSUMER_DURATION: '0ms',
        DEREGISTER_STREAM_CONSUMER_DURATION: '0ms',
        LOG_LEVEL: 'WARN',
        SHOULD_PERSIST_DATA: store === 'file' ? 'true' : 'false',
        LOAD_DATA_IF_EXISTS: 'false',
        PERSIST_PATH: dataDir,
      },
    }),
  },
};

/**
 * @typedef {object} Target
 * @property {string} name
 * @property {string} server                 a key of serverKinds
 * @property {'http1' | 'h2'} transport
 * @property {string} [store]                fixed whatever --store says: riffle-file is always on the file store,
 *                                           the cluster targets always on JetStream ('nats')
 * @property {'file-store'} [comparedWith]   its ratio column is against the run's single-node file-store Riffle
 *                                           (riffle-file, or riffle itself on --riffle-store file) when there is one
 */

/** @type {Target[]} in table-column order */
export const targets = [
  { name: 'riffle', server: 'riffle', transport: 'http1' },
  { name: 'riffle-h2', server: 'riffle', transport: 'h2' },
  { name: 'riffle-strict', server: 'riffle-strict', transport: 'http1' },
  // The single node the cluster targets are measured against: the issue compares them with the file store.
  { name: 'riffle-file', server: 'riffle', transport: 'http1', store: 'file' },
  { name: 'riffle-nats', server: 'riffle-nats', transport: 'http1', store: 'nats', comparedWith: 'file-store' },
  { name: 'riffle-nats-2', server: 'riffle-nats-2', transport: 'http1', store: 'nats', comparedWith: 'file-store' },
  { name: 'kinesalite', server: 'kinesalite', transport: 'http1' },
  { name: 'kinesis-local', server: 'kinesis-local', transport: 'http1' },
];

/**
 * `--only riffle` selects every target of the riffle server (riffle, riffle-h2, riffle-file); `--only riffle-h2` just
 * that one. riffle-file is left out when riffle itself runs on the file store (riffleStore 'file'), unless named:
 * it would measure the same thing twice.
 */
export function selectTargets(only, { riffleStore = 'memory' } = {}) {
  const named = (t) => only?.includes(t.name);
  const redundant = (t) => t.name === 'riffle-file' && riffleStore === 'file' && !named(t);
  if (!only || only.length === 0) return targets.filter((t) => !redundant(t));
  const unknown = only.filter((name) => !targets.some((t) => t.name === name || t.server === name));
  if (unknown.length > 0) {
    throw new Error(`unknown target(s) ${unknown.join(', ')}; known: ${targets.map((t) => t.name).join(', ')}`);
  }
  return targets.filter((t) => (named(t) || only.includes(t.server)) && !redundant(t));
}

/**
 * Selected targets that cannot run here although `--only` asked for them by name or server, as
 * "<target>: not comparable: <reason>" lines; `reasonFor(target)` is undefined when it can run.
 */
export function unavailableRequested(only, selected, reasonFor) {
  if (!only || only.length === 0) return [];
  return selected
    .filter((t) => only.includes(t.name) || only.includes(t.server))
    .map((t) => ({ target: t, reason: reasonFor(t) }))
    .filter(({ reason }) => reason !== undefined)
    .map(({ target, reason }) => `${target.name}: not comparable: ${reason}`);
}
