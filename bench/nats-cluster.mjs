// A JetStream cluster for the cluster targets: `nodes` nats-server processes on 127.0.0.1 (free ports, a temp store
// dir each under one temp root), ready once every node's /healthz answers and the meta group has a leader. The
// processes are SIGKILLed and the root removed by stop(), on a failed start, and when the harness exits.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts } from './free-port.mjs';
import { readPeakRss } from './server-process.mjs';

/** Debian's nats-server package installs it here; RIFFLE_NATS_SERVER overrides it, as for the tests. */
export const natsServerPath = () => process.env.RIFFLE_NATS_SERVER ?? '/usr/sbin/nats-server';

export const NATS_MISSING = 'nats-server not installed (apt-get install nats-server)';

const OUTPUT_TAIL_CHARS = 4_000;
const READY_POLL_MS = 100;
const MONITOR_TIMEOUT_MS = 2_000;

/** The reason the cluster cannot start here, or undefined. */
export function natsUnavailable() {
  return existsSync(natsServerPath()) ? undefined : NATS_MISSING;
}

/** One node's configuration file (nats-server's own format); a single node gets no cluster block. */
export function natsNodeConfig({ name, clientPort, monitorPort, clusterPort, storeDir, routePorts }) {
  const lines = [
    `server_name: ${name}`,
    `listen: "127.0.0.1:${clientPort}"`,
    `http: "127.0.0.1:${monitorPort}"`,
    `jetstream { store_dir: ${JSON.stringify(storeDir)} }`,
  ];
  if (routePorts.length > 1) {
    const routes = routePorts.map((port) => `"nats://127.0.0.1:${port}"`).join(', ');
    lines.push(`cluster { name: riffle-bench, listen: "127.0.0.1:${clusterPort}", routes: [${routes}] }`);
  }
  return `${lines.join('\n')}\n`;
}

/** Starts tried before giving up: a port probed free can be taken by another process before nats-server binds it. */
const START_ATTEMPTS = 3;

/**
 * @param {{ nodes?: number, readyTimeoutMs: number }} options
 * @returns {Promise<{ servers: string[], pids: number[], startupMs: number, peakRssBytes: () => Promise<(number | undefined)[]>,
 *                     unexpectedExit: () => string | undefined, outputTail: () => string, stop: () => Promise<void> }>}
 */
export async function startNatsCluster(options) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startNatsClusterOnce(options);
    } catch (error) {
      // Only a node that exited (e.g. "address already in use") is worth another try on new ports; a timeout is not.
      if (attempt >= START_ATTEMPTS || !error.nodeExited) throw error;
    }
  }
}

async function startNatsClusterOnce({ nodes = 3, readyTimeoutMs }) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'riffle-bench-nats-'));
  const ports = await freePorts(nodes * 3);
  const states = [];
  for (let index = 0; index < nodes; index++) {
    states.push({
      name: `n${index + 1}`,
      clientPort: ports[index * 3],
      clusterPort: ports[index * 3 + 1],
      monitorPort: ports[index * 3 + 2],
      storeDir: path.join(root, `n${index + 1}`),
      output: '',
    });
  }
  const routePorts = states.map((state) => state.clusterPort);
  const startedAt = performance.now();
  let stopping = false;
  const killAll = () => {
    for (const state of states) if (state.child && state.child.exitCode === null && state.child.signalCode === null) state.child.kill('SIGKILL');
  };
  // Synchronous, as an 'exit' listener must be: no nats-server or store dir outlives the harness.
  const cleanUpOnExit = () => {
    killAll();
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', cleanUpOnExit);

  for (const state of states) {
    const configFile = path.join(root, `${state.name}.conf`);
    writeFileSync(configFile, natsNodeConfig({ ...state, routePorts }));
    const child = spawn(natsServerPath(), ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    state.child = child;
    child.stderr.on('data', (chunk) => { state.output = (state.output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS); });
    state.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      if (!stopping) state.exitDescription = signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    }));
    child.once('error', (error) => { state.output += `\nspawn failed: ${error.message}`; });
  }

  const outputTail = () => states.map((state) => `--- nats ${state.name} ---\n${state.output}`).join('\n');
  const stop = async () => {
    stopping = true;
    process.removeListener('exit', cleanUpOnExit);
    killAll();
    await Promise.all(states.map((state) => state.exited));
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(states, readyTimeoutMs);
  } catch (error) {
    await stop();
    const failure = new Error(`the JetStream cluster did not become ready: ${error.message}\n${outputTail()}`);
    failure.nodeExited = states.some((state) => state.exitDescription);
    throw failure;
  }
  return {
    servers: states.map((state) => `nats://127.0.0.1:${state.clientPort}`),
    pids: states.map((state) => state.child.pid),
    startupMs: performance.now() - startedAt,
    peakRssBytes: () => Promise.all(states.map((state) => readPeakRss(state.child.pid))),
    unexpectedExit: () => states.filter((state) => state.exitDescription).map((state) => `nats ${state.name} ${state.exitDescription}`).join(', ') || undefined,
    outputTail,
    stop,
  };
}

async function waitUntilReady(states, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const exited = states.find((state) => state.exitDescription);
    if (exited) {
      const reason = exited.output.split('\n').filter((line) => /\[(FTL|ERR)\]/.test(line)).pop();
      throw new Error(`nats ${exited.name} ${exited.exitDescription}${reason ? `: ${reason.trim()}` : ''}`);
    }
    const ready = await Promise.all(states.map((state) => nodeReady(state, states.length)));
    if (ready.every(Boolean)) return;
    await sleep(READY_POLL_MS);
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

async function nodeReady(state, nodes) {
  try {
    // /healthz answers 200 once the node's JetStream is up; in a cluster /jsz then names the meta leader.
    const health = await fetch(`http://127.0.0.1:${state.monitorPort}/healthz`, { signal: AbortSignal.timeout(MONITOR_TIMEOUT_MS) });
    if (!health.ok) return false;
    if (nodes === 1) return true;
    const jsz = await fetch(`http://127.0.0.1:${state.monitorPort}/jsz`, { signal: AbortSignal.timeout(MONITOR_TIMEOUT_MS) });
    if (!jsz.ok) return false;
    return Boolean((await jsz.json()).meta_cluster?.leader);
  } catch {
    return false;
  }
}
