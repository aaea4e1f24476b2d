import { parseArgs } from 'node:util';

export const usage = `Usage: node bench/run.mjs [--quick] [--only riffle,kinesalite,...] [--store memory|file] [--baseline riffle]

  --quick      ~1-minute smoke run instead of the full (~10-minute) run
  --only       comma-separated targets or servers: riffle, riffle-h2, kinesalite, kinesis-local
  --store      memory (default) or file: each server keeps its data on disk in a temporary directory
  --baseline   the target whose ratios against the others are printed (default riffle)
  --no-save    print the table but do not write bench/results/`;

export function readCliOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      store: { type: 'string', default: 'memory' },
      baseline: { type: 'string', default: 'riffle' },
      'no-save': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!['memory', 'file'].includes(values.store)) throw new Error(`--store must be memory or file, not ${values.store}`);
  return {
    help: values.help,
    profileName: values.quick ? 'quick' : 'full',
    only: values.only ? values.only.split(',').map((name) => name.trim()).filter(Boolean) : [],
    store: values.store,
    baseline: values.baseline,
    save: !values['no-save'],
  };
}
