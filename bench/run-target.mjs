// One target's turn: start its server, warm up, run every scenario case, measure the process, stop it.
import { createClient } from './client.mjs';
import { createPayloadPool } from './payloads.mjs';
import { scenarios as allScenarios } from './scenarios/index.mjs';
import { runPutRecord } from './scenarios/put-record.mjs';
import { startServer } from './server-process.mjs';
import { serverKinds } from './servers.mjs';
import { metric } from './stats.mjs';

export const SERVER_CASE_LABEL = 'Server process';

/**
 * @typedef {object} CaseResult
 * @property {string} label
 * @property {Record<string, { value: number | undefined, unit: string, better: 'higher' | 'lower' | 'none' }>} [metrics]
 * @property {string[]} [problems]  non-empty: the numbers are not valid (shown as INVALID, left out of ratios)
 * @property {string[]} [warnings] valid, but not like for like with the other targets (printed under the table)
 * @property {string[]} [notes]
 * @property {string} [error]       the case could not run at all
 * @property {number} [durationMs]
 *
 * @typedef {{ target: string, server: string, transport: string, store: string, fsync?: string, comparedWith?: string,
 *             error?: string, warmUpProblem?: string, cases: CaseResult[], serverOutputTail?: string }} TargetResult
 */

/**
 * `scenarios` defaults to every scenario (bench/scenarios/index.mjs).
 * @returns {Promise<TargetResult>}
 */
export async function runTarget(target, { profile, scenarios = allScenarios, store, fsync, log }) {
  const result = { target: target.name, server: target.server, transport: target.transport, store, cases: [] };
  if (target.server === 'riffle' && store === 'file') result.fsync = fsync;
  if (target.comparedWith) result.comparedWith = target.comparedWith;
  const kind = serverKinds[target.server];
  const unavailable = kind.unavailable();
  if (unavailable) {
    result.error = unavailable;
    log(`[${target.name}] skipped: ${unavailable}`);
    return result;
  }

  let server;
  try {
    const timeouts = { readyTimeoutMs: profile.readyTimeoutMs, stopTimeoutMs: profile.stopTimeoutMs };
    server = kind.start ? await kind.start(timeouts) : await startServer(kind, { store, fsync, ...timeouts });
  } catch (error) {
    result.error = error.message;
    log(`[${target.name}] failed to start: ${error.message.split('\n')[0]}`);
    return result;
  }
  log(`[${target.name}] pid ${server.pids.join(', ')} ready on port ${server.ports.join(', ')} in ${server.startupMs.toFixed(0)} ms (${target.transport})`);

  // A cluster target's client sends each call to the next Riffle node in turn.
  const client = createClient({ ports: server.ports, transport: target.transport });
  // target and server are for scenarios that open their own connections (fan-out's SDK client) or read the
  // server's CPU time; the others use only the harness client.
  const context = {
    client, profile, payloads: createPayloadPool(profile.recordBytes), target,
    server: { pid: server.pid, port: server.port, pids: server.pids, ports: server.ports },
  };
  try {
    result.warmUpProblem = await warmUp(context);
    for (const scenario of scenarios) {
      for (const scenarioCase of scenario.cases(profile)) {
        const caseResult = await runCase(scenarioCase, context);
        result.cases.push(caseResult);
        log(`[${target.name}] ${describe(caseResult)}`);
      }
    }
    const unexpectedExit = server.unexpectedExit();
    result.cases.push({
      label: SERVER_CASE_LABEL,
      metrics: {
        'startup ms': metric.latency(server.startupMs),
        'peak RSS MiB': metric.memory(await server.peakRssBytes()),
      },
      problems: unexpectedExit ? [`server process ${unexpectedExit} during the run`] : [],
      // A cluster's row: startup is its slowest Riffle node's, peak RSS the sum of its Riffle nodes'.
      notes: server.notes ? await server.notes() : [],
    });
  } finally {
    await client.close();
    if (result.cases.some((c) => c.error || c.problems?.length)) result.serverOutputTail = server.outputTail();
    await server.stop();
  }
  return result;
}

async function warmUp(context) {
  const { warmUp: settings, putRecord } = context.profile;
  try {
    const outcome = await runPutRecord(context, 4, { ...putRecord, ...settings });
    return outcome.problems.length > 0 ? outcome.problems.join('; ') : undefined;
  } catch (error) {
    return error.message;
  }
}

async function runCase(scenarioCase, context) {
  const startedAt = performance.now();
  try {
    const outcome = await scenarioCase.run(context);
    return { label: scenarioCase.label, ...outcome, durationMs: performance.now() - startedAt };
  } catch (error) {
    return { label: scenarioCase.label, error: error.message, durationMs: performance.now() - startedAt };
  }
}

function describe(caseResult) {
  const seconds = `${(caseResult.durationMs / 1000).toFixed(1)} s`;
  if (caseResult.error) return `${caseResult.label}: ERROR ${caseResult.error} (${seconds})`;
  const values = Object.entries(caseResult.metrics)
    .map(([name, m]) => `${name}=${m.value === undefined ? '-' : Number(m.value.toFixed(2))}`)
    .join(' ');
  const invalid = caseResult.problems.length > 0 ? ` INVALID: ${caseResult.problems.join('; ')}` : '';
  return `${caseResult.label}: ${values} (${seconds})${invalid}`;
}
