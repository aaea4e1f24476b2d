// Benchmark entry point (`npm run bench`): every selected target in turn, each on its own freshly started
// server, then one comparison table on stdout and the full results in bench/results/.
import { readCliOptions, usage } from './cli-options.mjs';
import { machineInfo } from './machine-info.mjs';
import { profiles } from './profiles.mjs';
import { buildTable, describeFailures, describeWarnings, renderTable, saveResults } from './report.mjs';
import { runTarget } from './run-target.mjs';
import { selectTargets } from './servers.mjs';

const log = (line) => process.stderr.write(`${line}\n`);

async function main() {
  let options;
  let selected;
  try {
    options = readCliOptions(process.argv.slice(2));
    selected = selectTargets(options.only);
  } catch (error) {
    log(`${error.message}\n\n${usage}`);
    return 2;
  }
  if (options.help) {
    log(usage);
    return 0;
  }

  const profile = profiles[options.profileName];
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  log(`riffle bench: ${profile.name} profile, ${options.store} store, targets ${selected.map((t) => t.name).join(', ')}`);

  const targetResults = [];
  for (const target of selected) targetResults.push(await runTarget(target, { profile, store: options.store, log }));

  const table = buildTable(targetResults, options.baseline);
  const failures = describeFailures(targetResults);
  const warnings = describeWarnings(targetResults);
  process.stdout.write(`\n${renderTable(table)}\n`);
  if (table.ratioColumns.length > 0) {
    process.stdout.write(`\nRatios: ${options.baseline} against each peer; > 1.00x means ${options.baseline} is better (faster, quicker or smaller).\n`);
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
      store: options.store,
      baseline: options.baseline,
      machine,
      targets: targetResults,
      table,
    });
    log(`results saved: ${written.join(', ')}`);
  }
  return 0;
}

process.exitCode = await main();
