import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudwatchOperations } from '../generated/cloudwatch/operations.js';
import { cloudwatchShapes } from '../generated/cloudwatch/shapes.js';
import { queryResponseXml } from './query-output-xml.js';

const ns = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

describe('queryResponseXml', () => {
  it('wraps the result, writes members in model order, lists as member, maps as entry, doubles as Java does', () => {
    const xml = queryResponseXml(
      cloudwatchShapes,
      'GetMetricStatistics',
      cloudwatchOperations.GetMetricStatistics,
      { Datapoints: [{ Unit: 'Count', Sum: 3, Timestamp: new Date(Date.UTC(2026, 0, 1, 0, 1)), ExtendedStatistics: { p99: 0.5 } }], Label: 'a<b' },
      'req-1',
      ns,
    ).toString('utf8');
    assert.equal(
      xml,
      `<GetMetricStatisticsResponse xmlns="${ns}"><GetMetricStatisticsResult><Label>a&lt;b</Label><Datapoints><member>` +
        '<Timestamp>2026-01-01T00:01:00Z</Timestamp><Sum>3.0</Sum><Unit>Count</Unit><ExtendedStatistics><entry><key>p99</key><value>0.5</value></entry>' +
        '</ExtendedStatistics></member></Datapoints></GetMetricStatisticsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>' +
        '</GetMetricStatisticsResponse>',
    );
  });

  it('writes GetMetricData timestamps in ISO 8601 with milliseconds only when there are some, and empty lists as empty elements', () => {
    const xml = queryResponseXml(
      cloudwatchShapes,
      'GetMetricData',
      cloudwatchOperations.GetMetricData,
      { MetricDataResults: [{ Id: 'a', Timestamps: [new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 250))], Values: [12_000_000], StatusCode: 'Complete', Messages: [] }], Messages: [] },
      'r',
      ns,
    ).toString('utf8');
    assert.match(xml, /<Timestamps><member>2026-01-01T00:00:00\.250Z<\/member><\/Timestamps><Values><member>1\.2E7<\/member><\/Values><StatusCode>Complete<\/StatusCode><Messages\/>/);
    assert.match(xml, /<\/MetricDataResults><Messages\/><\/GetMetricDataResult>/);
  });
});
