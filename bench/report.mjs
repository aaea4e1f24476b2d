// Turns per-target results into one comparison table (printed) and one JSON document (saved).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

/**
 * Rows keyed by (scenario case, metric), one cell per target, plus the baseline's ratio against every other
 * server. Ratios are oriented so that > 1 always means the baseline is better: higher-is-better metrics divide
 * baseline by peer, lower-is-better metrics divide peer by baseline.
 * @param {import('./run-target.mjs').TargetResult[]} targetResults
 */
export function buildTable(targetResults, baselineName) {
  const columns = targetResults.map((result) => result.target);
  const ratioColumns = ratioPairs(targetResults, baselineName);

  const rows = [];
  const rowByKey = new Map();
  const labels = [];
  for (const result of targetResults) {
    for (const caseResult of result.cases) {
      if (!labels.includes(caseResult.label)) labels.push(caseResult.label);
      for (const [metricName, { unit, better, ratio = true }] of Object.entries(caseResult.metrics ?? {})) {
        const key = `${caseResult.label}\u0000${metricName}`;
        if (rowByKey.has(key)) continue;
        const row = { scenario: caseResult.label, metric: metricName, unit, better, ratio, cells: {}, ratios: {} };
        rowByKey.set(key, row);
        rows.push(row);
      }
    }
  }
  for (const label of labels) {
    if (!rows.some((row) => row.scenario === label)) rows.push({ scenario: label, metric: '-', unit: '', better: 'none', ratio: false, cells: {}, ratios: {} });
  }
  rows.sort((a, b) => labels.indexOf(a.scenario) - labels.indexOf(b.scenario));

  for (const row of rows) {
    for (const result of targetResults) row.cells[result.target] = cellFor(result, row);
    for (const ratio of ratioColumns) row.ratios[ratio.name] = ratioFor(row, row.cells[ratio.baseline], row.cells[ratio.peer]);
  }
  return { columns, ratioColumns: ratioColumns.map((ratio) => ratio.name), ratioPairs: ratioColumns, rows };
}

/**
 * Which target each ratio column compares with which: the baseline with every target of another server, except
 * that a target with comparedWith 'file-store' (a cluster) is compared with the run's single-node Riffle on its file
 * store over HTTP/1.1 (riffle-file, or riffle on --riffle-store file), when the run has one.
 * @returns {{ name: string, baseline: string, peer: string }[]}
 */
export function ratioPairs(targetResults, baselineName) {
  const baseline = targetResults.find((result) => result.target === baselineName);
  const fileStore = targetResults.find((result) => result.server === 'riffle' && result.store === 'file' && result.transport === 'http1');
  const pairs = [];
  for (const peer of targetResults) {
    const against = peer.comparedWith === 'file-store' && fileStore ? fileStore : baseline;
    if (!against || peer.server === against.server) continue;
    pairs.push({ name: `${against.target}/${peer.target}`, baseline: against.target, peer: peer.target });
  }
  return pairs;
}

/** "riffle against kinesalite, kinesis-local; riffle-file against riffle-nats", for the line under the table. */
export function describeRatios(pairs) {
  const byBaseline = new Map();
  for (const pair of pairs) byBaseline.set(pair.baseline, [...(byBaseline.get(pair.baseline) ?? []), pair.peer]);
  return [...byBaseline].map(([baseline, peers]) => `${baseline} against ${peers.join(', ')}`).join('; ');
}

function cellFor(result, row) {
  if (result.error) return { status: 'failed' };
  const caseResult = result.cases.find((c) => c.label === row.scenario);
  if (!caseResult) return { status: 'missing' };
  if (caseResult.error) return { status: 'error' };
  const value = caseResult.metrics?.[row.metric]?.value;
  if (caseResult.problems?.length > 0) return { status: 'invalid', value };
  return value === undefined ? { status: 'missing' } : { status: 'ok', value };
}

function ratioFor(row, baselineCell, peerCell) {
  if (row.better === 'none' || row.ratio === false || baselineCell?.status !== 'ok' || peerCell?.status !== 'ok') return undefined;
  if (!(baselineCell.value > 0 && peerCell.value > 0)) return undefined;
  return row.better === 'higher' ? baselineCell.value / peerCell.value : peerCell.value / baselineCell.value;
}

const STATUS_TEXT = { failed: 'FAILED', missing: '-', error: 'ERROR', invalid: 'INVALID' };

function formatValue(value, unit) {
  if (unit === 'records/s' || unit === 'records') return Math.round(value).toLocaleString('en-US');
  if (unit === 'MiB') return value.toFixed(0);
  if (unit === 'MB/s') return value.toFixed(1);
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

/** A Markdown table, readable in a terminal and pasteable into an issue. */
export function renderTable(table) {
  const header = ['scenario', 'metric', ...table.columns, ...table.ratioColumns];
  const body = table.rows.map((row) => [
    row.scenario,
    row.metric,
    ...table.columns.map((column) => {
      const cell = row.cells[column];
      return cell.status === 'ok' ? formatValue(cell.value, row.unit) : STATUS_TEXT[cell.status];
    }),
    ...table.ratioColumns.map((name) => (row.ratios[name] === undefined ? '-' : `${row.ratios[name].toFixed(2)}x`)),
  ]);
  const widths = header.map((title, index) => Math.max(title.length, ...body.map((cells) => cells[index].length)));
  const numeric = (index) => index >= 2;
  const line = (cells) => `| ${cells.map((cell, index) => (numeric(index) ? cell.padStart(widths[index]) : cell.padEnd(widths[index]))).join(' | ')} |`;
  const rule = `|${widths.map((width, index) => (numeric(index) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** Everything that made a number unusable, one line each, for printing under the table. */
export function describeFailures(targetResults) {
  const lines = [];
  for (const result of targetResults) {
    if (result.error) lines.push(`${result.target}: ${result.error.split('\n')[0]}`);
    if (result.warmUpProblem) lines.push(`${result.target}: warm-up: ${result.warmUpProblem}`);
    for (const caseResult of result.cases) {
      if (caseResult.error) lines.push(`${result.target}: ${caseResult.label}: ERROR ${caseResult.error}`);
      for (const problem of caseResult.problems ?? []) lines.push(`${result.target}: ${caseResult.label}: INVALID ${problem}`);
    }
  }
  return lines;
}

/** Valid results that still differ in kind from the other targets' (e.g. a smaller data set), one line each. */
export function describeWarnings(targetResults) {
  return targetResults.flatMap((result) => result.cases.flatMap((caseResult) =>
    (caseResult.warnings ?? []).map((warning) => `${result.target}: ${caseResult.label}: ${warning}`)));
}

/**
 * Writes bench/results/<prefix><timestamp>.json and bench/results/<prefix>latest.json (each via a .tmp file and a
 * rename); the restart benchmark uses the prefix `restart-` so it never replaces the comparison's latest.json.
 */
export async function saveResults(document, { prefix = '' } = {}) {
  await mkdir(resultsDir, { recursive: true });
  const fileName = `${prefix}${document.startedAt.replace(/[:.]/g, '-')}.json`;
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const written = [];
  for (const name of [fileName, `${prefix}latest.json`]) {
    const finalPath = `${resultsDir}${name}`;
    await writeFile(`${finalPath}.tmp`, text);
    await rename(`${finalPath}.tmp`, finalPath);
    written.push(finalPath);
  }
  return written;
}
