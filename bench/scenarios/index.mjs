// The scenarios, in the order they run against each target.
import { endToEndLatencyScenario } from './end-to-end-latency.mjs';
import { getRecordsScenario } from './get-records.mjs';
import { putRecordScenario } from './put-record.mjs';
import { putRecordsScenario } from './put-records.mjs';

export const scenarios = [putRecordScenario, putRecordsScenario, getRecordsScenario, endToEndLatencyScenario];
