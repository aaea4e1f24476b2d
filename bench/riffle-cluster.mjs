// A cluster target's servers: a 3-node JetStream cluster (nats-cluster.mjs), then `riffleNodes` Riffle nodes over
// it (`--store nats://...,nats://... --nats-replicas 3`), each its own process with its own port and temp data dir.
// It answers like one RunningServer (server-process.mjs) whose `ports` and `pids` list every Riffle node.
import { startNatsCluster } from './nats-cluster.mjs';
import { startServer } from './server-process.mjs';

export const NATS_NODES = 3;
export const NATS_REPLICAS = 3;

/**
 * @param {{ name: string, riffleNodes: number, riffleKind: import('./servers.mjs').ServerKind,
 *           readyTimeoutMs: number, stopTimeoutMs: number }} options
 *        riffleKind: the single-node Riffle kind, whose spawnSpec gets the NATS URLs as its store
 * @returns {Promise<import('./server-process.mjs').RunningServer & { notes: () => Promise<string[]> }>}
 */
export async function startRiffleCluster({ name, riffleNodes, riffleKind, readyTimeoutMs, stopTimeoutMs }) {
  const nats = await startNatsCluster({ nodes: NATS_NODES, readyTimeoutMs });
  const natsStore = nats.servers.join(',');
  const nodeKind = {
    name: `${name}-node`,
    portCount: riffleKind.portCount,
    unavailable: riffleKind.unavailable,
    spawnSpec: (options) => {
      const spec = riffleKind.spawnSpec({ ...options, store: natsStore });
      return { ...spec, args: [...spec.args, '--nats-replicas', String(NATS_REPLICAS)] };
    },
  };
  const nodes = [];
  const stop = async (options) => {
    const stopped = [];
    for (const node of nodes) stopped.push(await node.stop(options));
    await nats.stop();
    return stopped[0];
  };
  try {
    // One after the other: the first creates Riffle's JetStream streams and buckets, the next finds them.
    for (let index = 0; index < riffleNodes; index++) {
      nodes.push(await startServer(nodeKind, { store: 'nats', readyTimeoutMs, stopTimeoutMs }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const peakRssBytes = async () => {
    const each = await Promise.all(nodes.map((node) => node.peakRssBytes()));
    return each.includes(undefined) ? undefined : each.reduce((sum, bytes) => sum + bytes, 0);
  };
  const mib = (bytes) => (bytes === undefined ? '-' : `${Math.round(bytes / 1048576)}`);
  return {
    pid: nodes[0].pid,
    port: nodes[0].port,
    pids: nodes.map((node) => node.pid),
    ports: nodes.map((node) => node.port),
    spawnedAt: nodes[0].spawnedAt,
    // Each Riffle node's own spawn-to-ready, the slowest; the JetStream cluster's start is in the notes.
    startupMs: Math.max(...nodes.map((node) => node.startupMs)),
    dataDir: nodes[0].dataDir,
    peakRssBytes,
    outputTail: () => [...nodes.map((node, index) => `--- riffle node ${index + 1} ---\n${node.outputTail()}`), nats.outputTail()].join('\n'),
    unexpectedExit: () => {
      const exits = [
        ...nodes.map((node, index) => (node.unexpectedExit() ? `riffle node ${index + 1} ${node.unexpectedExit()}` : undefined)),
        nats.unexpectedExit(),
      ].filter(Boolean);
      return exits.length > 0 ? exits.join(', ') : undefined;
    },
    notes: async () => [
      `${riffleNodes} Riffle node${riffleNodes === 1 ? '' : 's'} over ${NATS_NODES} JetStream nodes (R${NATS_REPLICAS}); JetStream ready in ${Math.round(nats.startupMs)} ms`,
      `peak RSS MiB: Riffle ${(await Promise.all(nodes.map((node) => node.peakRssBytes()))).map(mib).join(' + ')}, ` +
        `nats-server ${(await nats.peakRssBytes()).map(mib).join(' + ')}`,
    ],
    stop,
  };
}
