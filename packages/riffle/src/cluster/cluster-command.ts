import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '../config.js';
import { clusterLayout } from './cluster-layout.js';
import { clusterUsage, parseClusterOptions, type ClusterOptions } from './cluster-options.js';
import { jetStreamReady } from './jetstream-ready.js';
import { NatsNode } from './nats-node.js';
import { natsServerBinary, runnableNatsServer } from './nats-server-binary.js';
import { RiffleNode } from './riffle-node.js';

/** A JetStream cluster that just started elects its meta leader in seconds; 2 shared cores may take longer. */
const READY_ATTEMPTS = 600;
const READY_POLL_MS = 100;
/** How long a node may take to stop cleanly before it is killed. */
const STOP_GRACE_MS = 20_000;

interface Output {
  out(line: string): void;
  err(line: string): void;
}

/**
 * `riffle cluster`: a NATS JetStream cluster and Riffle nodes on it, on this machine, until SIGINT or SIGTERM.
 * Resolves with the exit code.
 */
export async function runCluster(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const options = parseClusterOptions(args);
  if (options.help) {
    io.out(clusterUsage.trimEnd());
    return 0;
  }
  const wanted = natsServerBinary(env);
  const binary = runnableNatsServer(wanted);
  if (binary === undefined) throw new ConfigError(`nats-server not found at ${wanted}: install it (apt-get install nats-server) or set RIFFLE_NATS_SERVER to its path`);
  const layout = await clusterLayout(options.dataDir, options.natsNodes, options.natsPort);
  const logs = join(options.dataDir, 'logs');
  const nats = layout.nats.map((node) => new NatsNode(binary, node, layout.nats, join(logs, `nats-${node.name}.log`)));
  const replicas = Math.min(3, nats.length);
  const riffles = Array.from({ length: options.nodes }, (_, i) => new RiffleNode(i + 1, serveArgs(options, i, nats, replicas), join(logs, `riffle-${i + 1}.log`)));

  let stopping = false;
  let wake: () => void = () => undefined;
  const stopAsked = new Promise<void>((resolve) => (wake = resolve));
  let signalled = false;
  const onSignal = (signal: string) => {
    if (!signalled) io.out(`riffle cluster: ${signal}, stopping`);
    signalled = true;
    wake();
  };
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  // Should this process end unclean, its children (in their own process groups) must not outlive it.
  const killAll = () => [...riffles, ...nats].forEach((node) => node.killNow());
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.on('exit', killAll);

  const stopAll = async () => {
    stopping = true;
    await Promise.all(riffles.map((node) => node.stop(STOP_GRACE_MS)));
    await Promise.all(nats.map((node) => node.stop(STOP_GRACE_MS)));
  };

  try {
    io.out(`riffle cluster: ${nats.length} NATS JetStream node${nats.length === 1 ? '' : 's'} and ${riffles.length} Riffle node${riffles.length === 1 ? '' : 's'}, data in ${options.dataDir} (logs in ${logs})`);
    for (const node of nats) {
      node.start((code, signal) => {
        if (!stopping) io.err(`riffle cluster: nats ${node.layout.name} exited (${code ?? signal}); see ${node.logFile}`);
        if (nats.every((n) => !n.running)) wake();
      });
    }
    await waitForJetStream(nats, () => signalled);
    if (signalled) return await stopped(stopAll, io);
    for (const node of nats) {
      io.out(`nats ${node.layout.name} (pid ${node.pid}): ${node.url} (routes 127.0.0.1:${node.layout.clusterPort}, monitoring ${node.monitorUrl}, store ${node.layout.storeDir})`);
    }
    for (const node of riffles) {
      const endpoints = await node.start((code, signal) => {
        if (!stopping) io.err(`riffle cluster: riffle node ${node.index} exited (${code ?? signal}); see ${node.logFile}`);
        if (riffles.every((n) => !n.running)) wake();
      });
      io.out(`riffle node ${node.index} (pid ${node.pid}): api ${endpoints.api} console ${endpoints.console ?? 'off'}`);
      if (signalled) return await stopped(stopAll, io);
    }
    io.out(`riffle cluster: ready (streams replicated ${replicas} times); Ctrl-C stops it`);
    await stopAsked;
    const lost = !signalled;
    await stopAll();
    io.out('riffle cluster: stopped');
    return lost ? 1 : 0;
  } catch (error) {
    await stopAll();
    io.err(`riffle cluster: ${(error as Error).message}`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.off('exit', killAll);
  }
}

async function stopped(stopAll: () => Promise<void>, io: Output): Promise<number> {
  await stopAll();
  io.out('riffle cluster: stopped');
  return 0;
}

/** The flags of node i's `riffle serve`: the user's own (after --) last, so that they win. */
function serveArgs(options: ClusterOptions, i: number, nats: readonly NatsNode[], replicas: number): string[] {
  const port = options.port === 0 ? 0 : options.port + i;
  const consolePort = options.consolePort === undefined ? 'off' : String(options.consolePort === 0 ? 0 : options.consolePort + i);
  return [
    '--host', options.host,
    '--port', String(port),
    '--console-port', consolePort,
    '--data-dir', join(options.dataDir, `riffle-${i + 1}`),
    '--store', nats.map((node) => node.url).join(','),
    '--nats-replicas', String(replicas),
    ...options.serveArgs,
  ];
}

async function waitForJetStream(nats: readonly NatsNode[], cancelled: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < READY_ATTEMPTS && !cancelled(); attempt++) {
    const dead = nats.find((node) => !node.running);
    if (dead) {
      await dead.exited;
      throw new Error(`nats ${dead.layout.name} could not start (port ${dead.layout.clientPort}, ${dead.layout.clusterPort} or ${dead.layout.monitorPort} taken?): ${dead.lastErrors() || `see ${dead.logFile}`}`);
    }
    const ready = await Promise.all(nats.map((node) => jetStreamReady(node.monitorUrl, nats.length > 1)));
    if (ready.every(Boolean)) return;
    await sleep(READY_POLL_MS);
  }
  if (!cancelled()) throw new Error(`the NATS JetStream cluster did not become ready within ${(READY_ATTEMPTS * READY_POLL_MS) / 1000} s; see ${join(nats[0]!.logFile, '..')}`);
}
