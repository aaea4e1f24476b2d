import { parseArgs } from 'node:util';

export const usage = `Usage: node bench/run.mjs [--quick] [--only riffle,kinesalite,...] [--scenario fan-out,...] [--store memory|file]
                         [--riffle-store memory|file] [--fsync always|interval] [--baseline riffle] [--no-save]
       node bench/run.mjs --restart [restart options]   the restart and memory benchmark (node bench/restart.mjs --help)

  --quick          ~1-minute smoke run instead of the full (~10-minute) run
  --only           comma-separated targets or servers: riffle (riffle, riffle-h2, riffle-file), riffle-h2,
                   riffle-strict, riffle-file, riffle-nats, riffle-nats-2, kinesalite, kinesis-local; a target named
                   here that cannot run (e.g. nats-server not installed) stops the run with exit code 1
  --scenario       comma-separated scenarios (default all): put-record, put-records, get-records, latency, fan-out
  --store          memory (default) or file: each server keeps its data on disk in a temporary directory
                   (Riffle --store file, kinesalite --path, kinesis-local SHOULD_PERSIST_DATA)
  --riffle-store   Riffle's store only, overriding --store: e.g. --riffle-store file with the peers in memory
  --fsync          Riffle's --fsync on its file store: always (default, Riffle's default) or interval
  --baseline       the target whose ratios against the others are printed (default riffle)
  --no-save        print the table but do not write bench/results/`;

const STORES = ['memory', 'file'];

export function readCliOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      scenario: { type: 'string' },
      store: { type: 'string', default: 'memory' },
      'riffle-store': { type: 'string' },
      fsync: { type: 'string', default: 'always' },
      baseline: { type: 'string', default: 'riffle' },
      'no-save': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!STORES.includes(values.store)) throw new Error(`--store must be memory or file, not ${values.store}`);
  const riffleStore = values['riffle-store'] ?? values.store;
  if (!STORES.includes(riffleStore)) throw new Error(`--riffle-store must be memory or file, not ${riffleStore}`);
  if (!['always', 'interval'].includes(values.fsync)) throw new Error(`--fsync must be always or interval, not ${values.fsync}`);
  return {
    help: values.help,
    profileName: values.quick ? 'quick' : 'full',
    only: values.only ? values.only.split(',').map((name) => name.trim()).filter(Boolean) : [],
    scenarios: values.scenario ? values.scenario.split(',').map((name) => name.trim()).filter(Boolean) : [],
    store: values.store,
    riffleStore,
    fsync: values.fsync,
    baseline: values.baseline,
    save: !values['no-save'],
  };
}

/** The store a target's server runs on: Riffle's may differ from the peers'; riffle-file and the cluster targets are fixed. */
export function storeFor(target, options) {
  if (target.store) return target.store;
  return target.server === 'riffle' ? options.riffleStore : options.store;
}

/** "riffle=file (fsync always), kinesalite=memory", for logs and the line under the table. */
export function describeStores(selected, options) {
  return selected
    .map((target) => {
      const store = storeFor(target, options);
      if (store === 'nats') return `${target.name}=nats (3 JetStream nodes, R3)`;
      return `${target.name}=${store}${target.server === 'riffle' && store === 'file' ? ` (fsync ${options.fsync})` : ''}`;
    })
    .join(', ');
}
