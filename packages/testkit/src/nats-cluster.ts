import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeNatsTestOperator } from './nats-test-operator.js';
import { makeNatsTestTls, type NatsTestTls } from './nats-test-tls.js';
import { riffleNatsTools, type NatsServerConfigSpec } from './riffle-nats-tools.js';

/** Debian's `nats-server` package (2.9.10 on bookworm, in /usr/sbin); `.ci/run` installs it. Same rule as riffle's natsServerBinary. */
export const NATS_SERVER = process.env['RIFFLE_NATS_SERVER'] || '/usr/sbin/nats-server';

export interface NatsNode {
  readonly name: string;
  readonly clientPort: number;
  readonly url: string;
  /** The node's HTTP monitoring endpoint (/healthz, /jsz, ...). */
  readonly monitorUrl: string;
  readonly running: boolean;
}

export interface NatsCluster {
  readonly nodes: readonly NatsNode[];
  /** Client URLs of every node, for `servers`. */
  readonly servers: string[];
  /** SIGKILLs one node (its store dir stays) and waits for it to exit. */
  kill(index: number): Promise<void>;
  /** Starts a killed node again on the same ports and store, and waits until the cluster has a meta leader. */
  restart(index: number): Promise<void>;
  /** Waits (bounded) until the JetStream meta group has a leader and every running node answers. */
  waitReady(): Promise<void>;
  /**
   * Who leads, as the running nodes' /jsz report it: the meta group's leader and each stream's leader (server
   * names, as in `nodes`). A leader is given only where every running node that knows the group agrees and it is
   * a running node, so a group in the middle of an election has none.
   */
  leaders(): Promise<NatsLeaders>;
  /** The index in `nodes` of the server with this name. */
  indexOf(serverName: string): number;
  /** Kills every node and removes their store dirs. */
  stop(): Promise<void>;
  /** With `tls`: the CA, server and client certificates (and an unrelated CA) the servers were started with. */
  readonly tls: NatsTestTls | undefined;
  /** With `auth: 'creds'`: the user's .creds file, and its NKey seed (a secret that must never be logged). */
  readonly creds: { readonly file: string; readonly seed: string } | undefined;
}

/** How clients must authenticate: a user and password, a token, or a decentralised (JWT) user's .creds file. */
export type NatsTestAuth = { readonly user: string; readonly password: string } | { readonly token: string } | 'creds';
export interface NatsLeaders {
  readonly meta: string | undefined;
  /** Stream name to its leader's server name. */
  readonly streams: ReadonlyMap<string, string>;
}

export interface NatsClusterOptions {
  /** 1 runs a standalone JetStream server; more runs a cluster (3 for R3 streams). */
  readonly nodes?: number;
  /** Bytes; the server's default is 1 MiB. */
  readonly maxPayload?: number;
  /** Client connections over TLS with a CA made for the test; `verifyClients` demands a client certificate. */
  readonly tls?: boolean | { readonly verifyClients: boolean };
  readonly auth?: NatsTestAuth;
  /**
   * How long start, restart and waitReady wait for the cluster (a bound, not an assertion); default 30 s. A node
   * restarted under sustained load may need longer to become current on every stream.
   */
  readonly readyTimeoutMs?: number;
}

/** How long a start may take before the harness gives up: generous for 2 shared cores. */
const READY_ATTEMPTS = 300;
/** Starts of a whole cluster on fresh ports before the harness gives up. */
const START_ATTEMPTS = 3;
const READY_POLL_MS = 100;

interface NodeState {
  name: string;
  clientPort: number;
  clusterPort: number;
  monitorPort: number;
  storeDir: string;
  configFile: string;
  child?: ChildProcess;
  exited?: Promise<void>;
  stderr: string;
}

/**
 * Starts `nodes` nats-server processes with JetStream on 127.0.0.1 (ephemeral ports, a temp store dir each)
 * and waits until JetStream is ready: for a cluster, until the meta group has a leader and all peers are current.
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const count = options.nodes ?? 3;
  const root = mkdtempSync(join(tmpdir(), 'riffle-nats-'));
  const states: NodeState[] = [];
  for (let i = 0; i < count; i++) {
    const state: NodeState = {
      name: `n${i + 1}`,
      clientPort: 0,
      clusterPort: 0,
      monitorPort: 0,
      storeDir: join(root, `n${i + 1}`),
      configFile: join(root, `n${i + 1}.conf`),
      stderr: '',
    };
    states.push(state);
  }
  const { natsServerConfig, jetStreamReady, freePort } = await riffleNatsTools();
  const tls = options.tls ? makeNatsTestTls(join(root, 'tls')) : undefined;
  const operator = options.auth === 'creds' ? await makeNatsTestOperator(root) : undefined;
  const auth = options.auth;
  /** Fresh ports for every node (another test's process may have taken one between freePort and the bind). */
  async function configure(): Promise<void> {
    for (const state of states) {
      state.clientPort = await freePort();
      state.clusterPort = await freePort();
      state.monitorPort = await freePort();
    }
    writeConfigs();
  }
  function writeConfigs(): void {
  for (const state of states) {
    const spec: NatsServerConfigSpec = {
      name: state.name,
      host: '127.0.0.1',
      clientPort: state.clientPort,
      monitorPort: state.monitorPort,
      storeDir: state.storeDir,
      ...(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload }),
      ...(count > 1 ? { cluster: { name: 'riffle-test', port: state.clusterPort, routes: states.map((s) => `nats://127.0.0.1:${s.clusterPort}`) } } : {}),
      ...(tls ? { tls: { certFile: tls.serverCertFile, keyFile: tls.serverKeyFile, caFile: tls.caFile, verify: typeof options.tls === 'object' && options.tls.verifyClients } } : {}),
      ...(auth !== undefined && auth !== 'creds' ? { authorization: 'token' in auth ? { token: auth.token } : { users: [{ user: auth.user, password: auth.password }] } } : {}),
      ...(operator ? { operator: operator.server } : {}),
    };
    writeFileSync(state.configFile, natsServerConfig(spec));
  }
  }

  function launch(state: NodeState): void {
    const child = spawn(NATS_SERVER, ['-c', state.configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    state.child = child;
    state.stderr = '';
    // nats-server logs to stderr; keep the tail for error messages only.
    child.stderr?.on('data', (chunk: Buffer) => (state.stderr = (state.stderr + chunk.toString()).slice(-4000)));
    state.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('error', (error) => (state.stderr += `\nspawn failed: ${error.message}`));
  }

  const nodeReady = (state: NodeState) => jetStreamReady(`http://127.0.0.1:${state.monitorPort}`, count > 1);

  async function monitor(state: NodeState, path: string): Promise<unknown> {
    const response = await fetch(`http://127.0.0.1:${state.monitorPort}${path}`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  interface Jsz {
    meta_cluster?: { leader?: string };
    account_details?: { stream_detail?: { name: string; cluster?: { leader?: string } }[] }[];
  }

  async function leaders(): Promise<NatsLeaders> {
    const live = running();
    const views = await Promise.all(live.map((state) => monitor(state, '/jsz?streams=true').then((jsz) => jsz as Jsz, () => undefined)));
    const liveNames = new Set(live.map((state) => state.name));
    const agreed = (said: (string | undefined)[]): string | undefined => {
      const first = said[0];
      return first !== undefined && liveNames.has(first) && said.every((name) => name === first) ? first : undefined;
    };
    const answered = views.filter((view): view is Jsz => view !== undefined);
    const byStream = new Map<string, (string | undefined)[]>();
    for (const view of answered) {
      for (const account of view.account_details ?? []) {
        for (const stream of account.stream_detail ?? []) {
          byStream.set(stream.name, [...(byStream.get(stream.name) ?? []), stream.cluster?.leader || undefined]);
        }
      }
    }
    const streams = new Map<string, string>();
    for (const [name, said] of byStream) {
      const leader = agreed(said);
      if (leader !== undefined) streams.set(name, leader);
    }
    return { meta: answered.length > 0 ? agreed(answered.map((view) => view.meta_cluster?.leader || undefined)) : undefined, streams };
  }

  const running = () => states.filter((s) => s.child && s.child.exitCode === null && s.child.signalCode === null);

  async function waitReady(): Promise<void> {
    const attempts = options.readyTimeoutMs === undefined ? READY_ATTEMPTS : Math.ceil(options.readyTimeoutMs / READY_POLL_MS);
    for (let attempt = 0; attempt < attempts; attempt++) {
      const live = running();
      if (live.length === 0) break;
      const ready = await Promise.all(live.map(nodeReady));
      if (ready.every(Boolean)) return;
      await sleep(READY_POLL_MS);
    }
    const logs = states.map((s) => `--- ${s.name} ---\n${s.stderr}`).join('\n');
    throw new Error(`the NATS cluster did not become ready (is ${NATS_SERVER} installed?)\n${logs}`);
  }

  async function kill(index: number): Promise<void> {
    const state = states[index]!;
    if (!state.child || state.child.exitCode !== null || state.child.signalCode !== null) return;
    state.child.kill('SIGKILL');
    await state.exited;
  }

  /**
   * The first start needs every node: a node that could not bind a port (taken by another test's process
   * meanwhile) exits, and the others would elect a meta leader without it, leaving R3 streams no place. Then all
   * start again on fresh ports.
   */
  async function startAll(): Promise<void> {
    for (let start = 1; ; start++) {
      await configure();
      for (const state of states) launch(state);
      try {
        await waitReady();
        // A node that exits just after its peers were ready is caught by the leader's view of its replicas.
        if (running().length === count && (await allPeersCurrent())) return;
        throw new Error(`a NATS node exited, or never joined the others, while the cluster started\n${states.map((s) => `--- ${s.name} ---\n${s.stderr}`).join('\n')}`);
      } catch (error) {
        for (let i = 0; i < states.length; i++) await kill(i);
        if (start >= START_ATTEMPTS) throw error;
      }
    }
  }

  /** Bounded: the meta leader sees every other node as a current peer (R3 streams can be placed). */
  async function allPeersCurrent(): Promise<boolean> {
    if (count === 1) return true;
    for (let attempt = 0; attempt < READY_ATTEMPTS; attempt++) {
      if (running().length < count) return false;
      const views = await Promise.all(
        states.map((state) => monitor(state, '/jsz').then((jsz) => jsz as { meta_cluster?: { leader?: string; replicas?: { current?: boolean }[] } }, () => undefined)),
      );
      // The leader lists the other peers as its replicas.
      const complete = views.some((view) => {
        const replicas = view?.meta_cluster?.replicas ?? [];
        return view?.meta_cluster?.leader !== undefined && replicas.length === count - 1 && replicas.every((replica) => replica.current);
      });
      if (complete) return true;
      await sleep(READY_POLL_MS);
    }
    return false;
  }

  try {
    await startAll();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }

  return {
    get nodes() {
      return states.map((s) => ({
        name: s.name,
        clientPort: s.clientPort,
        url: `nats://127.0.0.1:${s.clientPort}`,
        monitorUrl: `http://127.0.0.1:${s.monitorPort}`,
        running: running().includes(s),
      }));
    },
    servers: states.map((s) => `nats://127.0.0.1:${s.clientPort}`),
    kill,
    async restart(index) {
      await kill(index);
      launch(states[index]!);
      await waitReady();
    },
    waitReady,
    tls,
    creds: operator ? { file: operator.credsFile, seed: operator.userSeed } : undefined,
    leaders,
    indexOf(serverName) {
      const index = states.findIndex((state) => state.name === serverName);
      if (index < 0) throw new Error(`no NATS node named ${serverName}`);
      return index;
    },
    async stop() {
      for (let i = 0; i < states.length; i++) await kill(i);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
