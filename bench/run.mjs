// Benchmark entry point (`npm run bench`): every selected target in turn, each on its own freshly started
// server, then one comparison table on stdout and the full results in bench/results/.
import { describeStores, readCliOptions, storeFor, usage } from './cli-options.mjs';
import { machineInfo } from './machine-info.mjs';
import { profiles } from './profiles.mjs';
import { buildTable, describeFailures, describeRatios, describeWarnings, renderTable, saveResults } from './report.mjs';
import { runTarget } from './run-target.mjs';
import { selectScenarios } from './scenarios/index.mjs';
import { serverKinds, selectTargets, unavailableRequested } from './servers.mjs';

const log = (line) => process.stderr.write(`${line}\n`);

async function main(argv) {
  // `--restart` hands the rest of the command line to the restart benchmark (bench/restart.mjs).
  if (argv.includes('--restart')) {
    const { runRestartBenchmark } = await import('./restart.mjs');
    return runRestartBenchmark(argv.filter((arg) => arg !== '--restart'));
  }
  let options;
  let selected;
  let selectedScenarios;
  try {
    options = readCliOptions(argv);
    selected = selectTargets(options.only, { riffleStore: options.riffleStore });
    selectedScenarios = selectScenarios(options.scenarios);
  } catch (error) {
    log(`${error.message}\n\n${usage}`);
    return 2;
  }
  if (options.help) {
    log(usage);
    return 0;
  }
  // A target asked for by name that cannot run ends the run at once; in a default run it is reported as not comparable.
  const cannotRun = unavailableRequested(options.only, selected, (target) => serverKinds[target.server].unavailable());
  if (cannotRun.length > 0) {
    log(cannotRun.join('\n'));
    return 1;
  }

  const profile = profiles[options.profileName];
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const stores = describeStores(selected, options);
  log(`riffle bench: ${profile.name} profile, scenarios ${selectedScenarios.map((scenario) => scenario.id).join(', ')}, stores ${stores}`);

  const targetResults = [];
  for (const target of selected) {
    targetResults.push(await runTarget(target, {
      profile, scenarios: selectedScenarios, store: storeFor(target, options), fsync: options.fsync, log,
    }));
  }

  const table = buildTable(targetResults, options.baseline);
  const failures = describeFailures(targetResults);
  const warnings = describeWarnings(targetResults);
  process.stdout.write(`\n${renderTable(table)}\n`);
  process.stdout.write(`\nStores: ${stores}.\n`);
  if (table.ratioColumns.length > 0) {
    process.stdout.write(`\nRatios: ${describeRatios(table.ratioPairs)}; > 1.00x means the first-named is better (faster, quicker or smaller).\n`);
  }
  if (failures.length > 0) process.stdout.write(`\nNot comparable:\n${failures.map((line) => `  - ${line}`).join('\n')}\n`);
  if (warnings.length > 0) process.stdout.write(`\nWarnings:\n${warnings.map((line) => `  - ${line}`).join('\n')}\n`);

  if (options.save) {
    const finishedAt = new Date().toISOString();
    const written = await saveResults({
      schemaVersion: 1,
      startedAt,
      finishedAt,
      durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
      profile,
      scenarios: selectedScenarios.map((scenario) => scenario.id),
      store: options.store,
      riffleStore: options.riffleStore,
      riffleFsync: options.fsync,
      baseline: options.baseline,
      machine,
      targets: targetResults,
      table,
    });
    log(`results saved: ${written.join(', ')}`);
  }
  return 0;
}

// Ctrl-C or a kill ends the run through process.exit, so that the servers' 'exit' listeners run: every server
// process (nats-server included) is killed and the JetStream store dirs removed.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) process.once(signal, () => process.exit(code));

process.exitCode = await main(process.argv.slice(2));
