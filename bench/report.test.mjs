import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTable, describeFailures, renderTable } from './report.mjs';

const throughputAndLatency = (recordsPerSecond, p50) => ({
  'records/s': { value: recordsPerSecond, unit: 'records/s', better: 'higher' },
  'p50 ms': { value: p50, unit: 'ms', better: 'lower' },
});
const target = (name, server, cases, extra = {}) => ({ target: name, server, transport: 'http1', store: 'memory', cases, ...extra });

test('ratios are oriented so that above 1 means the baseline is better', () => {
  const table = buildTable([
    target('riffle', 'riffle', [{ label: 'PutRecord c=1', metrics: throughputAndLatency(4000, 2), problems: [] }]),
    target('kinesalite', 'kinesalite', [{ label: 'PutRecord c=1', metrics: throughputAndLatency(1000, 8), problems: [] }]),
  ], 'riffle');
  assert.deepEqual(table.ratioColumns, ['riffle/kinesalite']);
  const [throughput, latency] = table.rows;
  assert.equal(throughput.ratios['riffle/kinesalite'], 4);
  assert.equal(latency.ratios['riffle/kinesalite'], 4);
});

test('the baseline is not compared with another transport of the same server', () => {
  const cases = [{ label: 'x', metrics: throughputAndLatency(1, 1), problems: [] }];
  const table = buildTable([target('riffle', 'riffle', cases), target('riffle-h2', 'riffle', cases)], 'riffle');
  assert.deepEqual(table.ratioColumns, []);
});

test('invalid, errored and failed targets show no number and get no ratio', () => {
  const results = [
    target('riffle', 'riffle', [{ label: 'GetRecords', metrics: throughputAndLatency(10, 1), problems: ['read 5 of 10'] }]),
    target('kinesalite', 'kinesalite', [{ label: 'GetRecords', error: 'boom' }]),
    target('kinesis-local', 'kinesis-local', [], { error: 'did not start' }),
  ];
  const table = buildTable(results, 'riffle');
  const [row] = table.rows;
  assert.equal(row.cells.riffle.status, 'invalid');
  assert.equal(row.cells.kinesalite.status, 'error');
  assert.equal(row.cells['kinesis-local'].status, 'failed');
  assert.equal(row.ratios['riffle/kinesalite'], undefined);
  const text = renderTable(table);
  assert.match(text, /INVALID/);
  assert.match(text, /ERROR/);
  assert.match(text, /FAILED/);
  assert.equal(describeFailures(results).length, 3);
});

test('a metric marked ratio: false gets no ratio, e.g. a latency after acknowledgement that can be zero or negative', () => {
  const afterAck = (value) => ({ 'p50 ms after ack': { value, unit: 'ms', better: 'lower', ratio: false }, 'p99 ms': { value: value + 10, unit: 'ms', better: 'lower' } });
  const table = buildTable([
    target('riffle', 'riffle', [{ label: 'Fan-out', metrics: afterAck(0.01), problems: [] }]),
    target('kinesis-local', 'kinesis-local', [{ label: 'Fan-out', metrics: afterAck(500), problems: [] }]),
  ], 'riffle');
  const [offset, latency] = table.rows;
  assert.equal(offset.ratios['riffle/kinesis-local'], undefined);
  assert.equal(latency.ratios['riffle/kinesis-local'], 510 / 10.01);
});
