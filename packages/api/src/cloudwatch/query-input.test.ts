import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudwatchShapes } from '../generated/cloudwatch/shapes.js';
import { readQueryInput } from './query-input.js';

describe('readQueryInput', () => {
  it("reads the AWS CLI's flattened members into typed input by the model", () => {
    const input = readQueryInput(cloudwatchShapes, 'GetMetricDataInput', {
      'MetricDataQueries.member.2.Id': 'b',
      'MetricDataQueries.member.1.Id': 'a',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'StreamName',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 's',
      'MetricDataQueries.member.1.MetricStat.Period': '300',
      'MetricDataQueries.member.1.ReturnData': 'false',
      StartTime: '2026-01-01T00:00:00Z',
      EndTime: '2026-01-01T01:00:00.500+01:00',
      MaxDatapoints: '10',
      Unknown: 'ignored',
    });
    assert.deepEqual(input, {
      MetricDataQueries: [{ Id: 'a', MetricStat: { Metric: { Dimensions: [{ Name: 'StreamName', Value: 's' }] }, Period: 300 }, ReturnData: false }, { Id: 'b' }],
      StartTime: new Date('2026-01-01T00:00:00Z'),
      EndTime: new Date('2026-01-01T00:00:00.500Z'),
      MaxDatapoints: 10,
    });
  });

  it('reads a bare list name as an empty list, and refuses values that are not of their type', () => {
    assert.deepEqual(readQueryInput(cloudwatchShapes, 'ListMetricsInput', { Dimensions: '' }), { Dimensions: [] });
    for (const [name, value] of [['Period', '60s'], ['StartTime', '1700000000'], ['Period', '99999999999999999']] as const) {
      assert.throws(
        () => readQueryInput(cloudwatchShapes, 'GetMetricStatisticsInput', { [name]: value }),
        (error: { type: string; message: string }) => error.type === 'InvalidParameterValue' && error.message === `Value (${value}) for parameter ${name} is invalid.`,
      );
    }
    assert.throws(() => readQueryInput(cloudwatchShapes, 'ListMetricsInput', { IncludeLinkedAccounts: 'yes' }), /IncludeLinkedAccounts is invalid/);
  });
});
