import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRecordCodec, renderRestartTable } from './restart.mjs';

test('a record written by the restart benchmark checks back to its id; altered ones do not', () => {
  const codec = createRecordCodec();
  const record = (id) => ({ Data: codec.data(id), PartitionKey: codec.partitionKey(id) });
  assert.equal(Buffer.from(codec.data(7), 'base64').length, 1024);
  assert.equal(codec.check(record(7)), 7);
  assert.equal(codec.check(record(2_000_000)), 2_000_000);

  const flipped = record(7);
  const bytes = Buffer.from(flipped.Data, 'base64');
  bytes[500] ^= 1;
  flipped.Data = bytes.toString('base64');
  assert.match(codec.check(flipped), /differ/);
  assert.match(codec.check({ ...record(7), PartitionKey: codec.partitionKey(8) }), /partition key/);
  assert.match(codec.check({ ...record(7), Data: record(7).Data.slice(4) }), /wrong size/);
  assert.match(createRecordCodec().check(record(7)), /not one this run wrote/);
});

test('the restart table marks goals met or missed', () => {
  const table = renderRestartTable([
    { phase: 'SIGTERM restart', metric: 'spawn to first records read ms', value: 235, unit: 'ms', goal: { below: 2000 } },
    { phase: 'load', metric: 'peak RSS MiB (VmHWM)', value: 338, unit: 'MiB', goal: { below: 200 } },
    { phase: 'load', metric: 'acknowledged', value: [5, 6], unit: 'records' },
  ]);
  assert.match(table, /235 \| < 2000: met/);
  assert.match(table, /338 \| < 200: MISSED/);
  assert.match(table, /5 of 6/);
});
