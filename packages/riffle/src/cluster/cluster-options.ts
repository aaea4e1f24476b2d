import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';

/** What `riffle cluster` runs: its flags, checked. */
export interface ClusterOptions {
  /** Riffle nodes (`riffle serve` processes). */
  readonly nodes: number;
  /** nats-server processes; undefined: what the data directory was made with, else 3. */
  readonly natsNodes: number | undefined;
  /** The first node's API port; the others follow it. 0: ephemeral ports. */
  readonly port: number;
  /** The first node's console port, the others following; undefined: off. */
  readonly consolePort: number | undefined;
  /** The first NATS client port (routes at +2000, monitoring at +4000); 0: ephemeral; undefined: as saved, else 4222. */
  readonly natsPort: number | undefined;
  /** Where the Riffle nodes listen (NATS stays on 127.0.0.1). */
  readonly host: string;
  readonly dataDir: string;
  /** Passed to every `riffle serve` after the cluster's own flags (so they win). */
  readonly serveArgs: readonly string[];
  readonly help: boolean;
}

export const clusterUsage = `Usage: riffle cluster [options] [-- serve options]

Runs a local distributed Riffle for trying it out: a NATS JetStream cluster (Debian's nats-server) and Riffle
nodes serving from it, all on this machine. Ctrl-C or SIGTERM stops everything. The data stays in --data-dir:
starting again on it brings the streams and records back.

Options:
  --nodes <n>            Riffle nodes (default 2)
  --nats-nodes <n>       nats-server nodes (default 3, or what --data-dir was made with; R3 streams on 3 or more)
  --port <port>          the first node's API port; node i listens on port+i-1 (default 4567; 0: ephemeral)
  --console-port <port>  the first node's console port, following likewise (default: after the API ports; off)
  --nats-port <port>     the first NATS client port; routes at +2000, monitoring at +4000 (default 4222, or as
                         saved in --data-dir; 0: ephemeral, chosen once and saved)
  --host <address>       where the Riffle nodes listen (default 127.0.0.1; NATS listens on 127.0.0.1)
  --data-dir <dir>       NATS stores, Riffle nodes' directories and logs (default ./riffle-cluster-data)
  -h, --help             this text
Arguments after -- go to every riffle serve (see riffle serve --help), e.g. -- --throughput off

Needs nats-server: apt-get install nats-server, or set RIFFLE_NATS_SERVER to its path.
`;

function count(raw: string | undefined, flag: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new ConfigError(`--${flag} must be an integer from 1 to ${max}, got '${raw}'`);
  return value;
}

function port(raw: string, flag: string, span: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value + span > 65_535) throw new ConfigError(`--${flag} must be a port from 0 to ${65_535 - span} (the nodes use the ports after it), got '${raw}'`);
  return value;
}

export function parseClusterOptions(args: readonly string[]): ClusterOptions {
  const split = args.indexOf('--');
  const own = split < 0 ? [...args] : args.slice(0, split);
  const serveArgs = split < 0 ? [] : args.slice(split + 1);
  const { values } = parseArgs({
    args: own,
    strict: true,
    allowPositionals: false,
    options: {
      nodes: { type: 'string' },
      'nats-nodes': { type: 'string' },
      port: { type: 'string' },
      'console-port': { type: 'string' },
      'nats-port': { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const nodes = count(values.nodes, 'nodes', 2, 16);
  const natsNodes = values['nats-nodes'] === undefined ? undefined : count(values['nats-nodes'], 'nats-nodes', 3, 7);
  const apiPort = port(values.port ?? '4567', 'port', nodes - 1);
  const consoleRaw = values['console-port'];
  const consolePort = consoleRaw === 'off' ? undefined : consoleRaw === undefined ? (apiPort === 0 ? 0 : apiPort + nodes) : port(consoleRaw, 'console-port', nodes - 1);
  const natsPort = values['nats-port'] === undefined ? undefined : port(values['nats-port'], 'nats-port', 4_000 + (natsNodes ?? 3) - 1);
  return {
    nodes,
    natsNodes,
    port: apiPort,
    consolePort,
    natsPort,
    host: values.host ?? '127.0.0.1',
    dataDir: resolve(values['data-dir'] ?? './riffle-cluster-data'),
    serveArgs,
    help: values.help === true,
  };
}
