import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPrometheus } from './prometheus-text.js';

describe('formatPrometheus', () => {
  it('writes HELP and TYPE once per family, then the samples with sorted labels', () => {
    const text = formatPrometheus([
      {
        name: 'riffle_kinesis_incoming_records_total',
        type: 'counter',
        help: 'Records put successfully (CloudWatch IncomingRecords)',
        samples: [
          { labels: { stream: 'orders', account: '111122223333' }, value: 42 },
          { labels: { stream: 'clicks', account: '111122223333' }, value: 0 },
        ],
      },
      {
        name: 'riffle_kinesis_request_duration_seconds',
        type: 'summary',
        help: 'Time taken by each call',
        samples: [
          { suffix: '_sum', labels: { operation: 'PutRecord' }, value: 0.25 },
          { suffix: '_count', labels: { operation: 'PutRecord' }, value: 10 },
        ],
      },
    ]);
    assert.equal(
      text,
      '# HELP riffle_kinesis_incoming_records_total Records put successfully (CloudWatch IncomingRecords)\n' +
        '# TYPE riffle_kinesis_incoming_records_total counter\n' +
        'riffle_kinesis_incoming_records_total{account="111122223333",stream="orders"} 42\n' +
        'riffle_kinesis_incoming_records_total{account="111122223333",stream="clicks"} 0\n' +
        '# HELP riffle_kinesis_request_duration_seconds Time taken by each call\n' +
        '# TYPE riffle_kinesis_request_duration_seconds summary\n' +
        'riffle_kinesis_request_duration_seconds_sum{operation="PutRecord"} 0.25\n' +
        'riffle_kinesis_request_duration_seconds_count{operation="PutRecord"} 10\n',
    );
  });

  it('escapes label values and help text as the format says, and writes NaN and infinities', () => {
    const text = formatPrometheus([
      { name: 'g', type: 'gauge', help: 'a\\b\nc', samples: [{ labels: { stream: 'a"b\\c\nd' }, value: Number.NaN }, { value: Number.POSITIVE_INFINITY }] },
    ]);
    assert.equal(text, '# HELP g a\\\\b\\nc\n# TYPE g gauge\ng{stream="a\\"b\\\\c\\nd"} NaN\ng +Inf\n');
  });

  it('refuses invalid metric and label names', () => {
    assert.throws(() => formatPrometheus([{ name: 'bad-name', type: 'gauge', help: '', samples: [] }]), /invalid Prometheus metric name/);
    assert.throws(() => formatPrometheus([{ name: 'ok', type: 'gauge', help: '', samples: [{ labels: { 'bad-label': 'x' }, value: 1 }] }]), /invalid Prometheus label name/);
    assert.throws(() => formatPrometheus([{ name: 'ok', type: 'gauge', help: '', samples: [{ labels: { __reserved: 'x' }, value: 1 }] }]), /invalid Prometheus label name/);
  });
});
