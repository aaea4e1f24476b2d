import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.js';
import { freePort } from './free-port.js';

/** One nats-server of the local cluster: its name (JetStream's server_name) and ports, fixed for its store's life. */
export interface NatsNodeLayout {
  readonly name: string;
  readonly clientPort: number;
  readonly clusterPort: number;
  readonly monitorPort: number;
  readonly storeDir: string;
}

export interface ClusterLayout {
  readonly nats: readonly NatsNodeLayout[];
}

/** Where NATS's routes and monitoring sit relative to its client port, as in NATS's own defaults (4222, 6222, 8222). */
export const ROUTE_PORT_OFFSET = 2_000;
export const MONITOR_PORT_OFFSET = 4_000;

const LAYOUT_FILE = 'cluster.json';

interface SavedLayout {
  readonly nats: readonly { name: string; clientPort: number; clusterPort: number; monitorPort: number }[];
}

/**
 * The NATS nodes of `riffle cluster` on `dataDir`: those it was first made with (saved in cluster.json), since a
 * JetStream node's store belongs to its name and its peers find it at its route port; else new ones, then saved.
 */
export async function clusterLayout(dataDir: string, natsNodes: number | undefined, natsPort: number | undefined): Promise<ClusterLayout> {
  const file = join(dataDir, LAYOUT_FILE);
  const storeDir = (name: string) => join(dataDir, 'nats', name);
  if (existsSync(file)) {
    let saved: SavedLayout;
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as SavedLayout;
      if (!Array.isArray(saved.nats) || saved.nats.length === 0) throw new Error('no NATS nodes');
    } catch (error) {
      throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
    }
    if (natsNodes !== undefined && natsNodes !== saved.nats.length) {
      throw new ConfigError(`${dataDir} holds a cluster of ${saved.nats.length} NATS nodes, not ${natsNodes}: leave out --nats-nodes, or use another --data-dir`);
    }
    if (natsPort !== undefined && natsPort !== 0 && natsPort !== saved.nats[0]!.clientPort) {
      throw new ConfigError(`${dataDir} holds a cluster whose NATS ports start at ${saved.nats[0]!.clientPort}, not ${natsPort}: leave out --nats-port, or use another --data-dir`);
    }
    return { nats: saved.nats.map((node) => ({ ...node, storeDir: storeDir(node.name) })) };
  }
  const count = natsNodes ?? 3;
  const base = natsPort ?? 4222;
  const nats: NatsNodeLayout[] = [];
  for (let i = 0; i < count; i++) {
    const name = `n${i + 1}`;
    nats.push(
      base === 0
        ? { name, clientPort: await freePort(), clusterPort: await freePort(), monitorPort: await freePort(), storeDir: storeDir(name) }
        : { name, clientPort: base + i, clusterPort: base + ROUTE_PORT_OFFSET + i, monitorPort: base + MONITOR_PORT_OFFSET + i, storeDir: storeDir(name) },
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const saved: SavedLayout = { nats: nats.map(({ name, clientPort, clusterPort, monitorPort }) => ({ name, clientPort, clusterPort, monitorPort })) };
  writeFileSync(file, JSON.stringify(saved, null, 2) + '\n');
  return { nats };
}
