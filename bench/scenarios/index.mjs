// The scenarios, in the order they run against each target; `--scenario` picks some of them by id.
import { endToEndLatencyScenario } from './end-to-end-latency.mjs';
import { fanOutScenario } from './fan-out.mjs';
import { getRecordsScenario } from './get-records.mjs';
import { putRecordScenario } from './put-record.mjs';
import { putRecordsScenario } from './put-records.mjs';

export const scenarios = [putRecordScenario, putRecordsScenario, getRecordsScenario, endToEndLatencyScenario, fanOutScenario];

/** Every scenario when `ids` is empty, else those named, in run order; an unknown id throws. */
export function selectScenarios(ids) {
  if (!ids || ids.length === 0) return scenarios;
  const unknown = ids.filter((id) => !scenarios.some((scenario) => scenario.id === id));
  if (unknown.length > 0) {
    throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${scenarios.map((scenario) => scenario.id).join(', ')}`);
  }
  return scenarios.filter((scenario) => ids.includes(scenario.id));
}
