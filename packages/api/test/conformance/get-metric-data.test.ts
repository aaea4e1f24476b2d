import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { CLOUDWATCH_PROTOCOLS, cloudWatchClient } from '@riffle/testkit';
import { MINUTE, NOW, NS, queryCall, recordMinutes, startCloudWatchServer, type CloudWatchServer } from './cloudwatch-server.js';

const dimensions = [{ Name: 'StreamName', Value: 'orders' }];
const records: MetricDataQuery = { Id: 'records', MetricStat: { Metric: { Namespace: NS, MetricName: 'IncomingRecords', Dimensions: dimensions }, Period: 60, Stat: 'Sum' } };
const bytes: MetricDataQuery = { Id: 'bytes', Label: 'bytes in', MetricStat: { Metric: { Namespace: NS, MetricName: 'IncomingBytes', Dimensions: dimensions }, Period: 60, Stat: 'Average' } };
const window = { StartTime: new Date(NOW - 10 * MINUTE), EndTime: new Date(NOW) };

async function refusal(server: CloudWatchServer, input: Partial<GetMetricDataCommandInput>, protocol: (typeof CLOUDWATCH_PROTOCOLS)[number] = 'json-1.0') {
  const error = await cloudWatchClient(server.endpoint, protocol)
    .send(new GetMetricDataCommand({ MetricDataQueries: [records], ...window, ...input }))
    .then(() => undefined, (caught: unknown) => caught as { message: string; Code?: string; $metadata: { httpStatusCode?: number } });
  assert.ok(error, 'the call was refused');
  return { code: error.Code, message: error.message, status: error.$metadata.httpStatusCode };
}

describe('GetMetricData', () => {
  let server: CloudWatchServer;
  before(async () => {
    server = await startCloudWatchServer();
    recordMinutes(server.registry, 'IncomingRecords', { StreamName: 'orders' }, [4, 3, 2], [2, 3]);
    recordMinutes(server.registry, 'IncomingBytes', { StreamName: 'orders' }, [3, 2], [100, 300]);
  });
  after(() => server.close());

  for (const protocol of CLOUDWATCH_PROTOCOLS) {
    it(`answers each query's statistic, newest first, with its label (${protocol})`, async () => {
      const output = await cloudWatchClient(server.endpoint, protocol).send(
        new GetMetricDataCommand({ MetricDataQueries: [records, bytes, { ...records, Id: 'hidden', ReturnData: false }], ...window }),
      );
      assert.deepEqual(
        output.MetricDataResults?.map(({ Id, Label, Timestamps, Values, StatusCode }) => ({ Id, Label, Timestamps, Values, StatusCode })),
        [
          { Id: 'records', Label: 'IncomingRecords', Timestamps: [2, 3, 4].map((ago) => new Date(NOW - ago * MINUTE)), Values: [5, 5, 5], StatusCode: 'Complete' },
          { Id: 'bytes', Label: 'bytes in', Timestamps: [2, 3].map((ago) => new Date(NOW - ago * MINUTE)), Values: [200, 200], StatusCode: 'Complete' },
        ],
      );
      assert.equal(output.NextToken, undefined);
    });

    it(`refuses queries as CloudWatch does (${protocol})`, async () => {
      assert.deepEqual(await refusal(server, { StartTime: new Date(NOW), EndTime: new Date(NOW) }, protocol), {
        code: 'ValidationError',
        message: 'The parameter StartTime must not equal parameter EndTime.',
        status: 400,
      });
      assert.deepEqual(await refusal(server, { MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(METRICS())' }] }, protocol), {
        code: 'ValidationError',
        message: 'Riffle does not evaluate metric math or Metrics Insights queries (MetricDataQueries.member.1.Expression); ask for each metric with MetricStat instead.',
        status: 400,
      });
    });
  }

  it('scans oldest first with TimestampAscending and pages by MaxDatapoints across the results', async () => {
    const client = cloudWatchClient(server.endpoint, 'query');
    const input: GetMetricDataCommandInput = { MetricDataQueries: [records, bytes], ...window, ScanBy: 'TimestampAscending', MaxDatapoints: 2 };
    const pages: { values: number[][]; status: (string | undefined)[] }[] = [];
    let token: string | undefined;
    for (let page = 0; page < 5; page++) {
      const output = await client.send(new GetMetricDataCommand({ ...input, ...(token ? { NextToken: token } : {}) }));
      pages.push({ values: output.MetricDataResults!.map((result) => result.Values ?? []), status: output.MetricDataResults!.map((result) => result.StatusCode) });
      token = output.NextToken;
      if (token === undefined) break;
    }
    assert.deepEqual(pages, [
      { values: [[5, 5], []], status: ['PartialData', 'PartialData'] },
      { values: [[5], [200]], status: ['Complete', 'PartialData'] },
      { values: [[], [200]], status: ['Complete', 'Complete'] },
    ]);
  });

  it('refuses a NextToken of another request, and Ids, query shapes and periods as CloudWatch does', async () => {
    const other = await cloudWatchClient(server.endpoint).send(new GetMetricDataCommand({ MetricDataQueries: [records, bytes], ...window, MaxDatapoints: 1 }));
    assert.ok(other.NextToken);
    assert.deepEqual(await refusal(server, { NextToken: other.NextToken }), { code: 'InvalidNextToken', message: 'The next token specified is invalid.', status: 400 });
    assert.deepEqual(await refusal(server, { NextToken: 'garbage' }), { code: 'InvalidNextToken', message: 'The next token specified is invalid.', status: 400 });
    assert.deepEqual(await refusal(server, { MetricDataQueries: [{ ...records, Id: 'Records' }] }), {
      code: 'ValidationError',
      message: 'The value Records for parameter MetricDataQueries.member.1.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.',
      status: 400,
    });
    assert.deepEqual(await refusal(server, { MetricDataQueries: [records, records] }), {
      code: 'ValidationError',
      message: 'The value records for parameter MetricDataQueries.member.2.Id is not unique.',
      status: 400,
    });
    assert.deepEqual(await refusal(server, { MetricDataQueries: [{ Id: 'a' }] }), {
      code: 'ValidationError',
      message: 'The parameter MetricDataQueries.member.1.MetricStat is required.\n',
      status: 400,
    });
    assert.deepEqual(await refusal(server, { MetricDataQueries: [{ ...records, MetricStat: { ...records.MetricStat!, Period: 45 } }] }), {
      code: 'InvalidParameterValue',
      message: 'The parameter MetricDataQueries.member.1.MetricStat.Period must be a multiple of 60.',
      status: 400,
    });
    assert.deepEqual(await refusal(server, { MetricDataQueries: [{ ...records, MetricStat: { ...records.MetricStat!, Stat: 'IQM' } }] }), {
      code: 'InvalidParameterValue',
      message: 'The value IQM for parameter MetricDataQueries.member.1.MetricStat.Stat is not supported.',
      status: 400,
    });
    assert.deepEqual(await refusal(server, { StartTime: new Date(NOW), EndTime: new Date(NOW - MINUTE) }), {
      code: 'ValidationError',
      message: 'The parameter EndTime must be greater than StartTime.',
      status: 400,
    });
  });

  it('names a missing member by its query path (MissingParameter), as the AWS CLI would see it', async () => {
    const response = await queryCall(
      server.endpoint,
      `Action=GetMetricData&Version=2010-08-01&MetricDataQueries.member.1.MetricStat.Metric.MetricName=x&MetricDataQueries.member.1.MetricStat.Period=60&MetricDataQueries.member.1.MetricStat.Stat=Sum&StartTime=2026-12-01T11%3A00%3A00Z&EndTime=2026-12-01T12%3A00%3A00Z`,
    );
    assert.equal(response.status, 400);
    assert.match(response.body.toString('utf8'), /<Code>MissingParameter<\/Code><Message>The parameter MetricDataQueries\.member\.1\.Id is required\.<\/Message>/);
  });

  it('answers past 500 queries with the first 500 and a message', async () => {
    const many = Array.from({ length: 501 }, (_, index) => ({ ...records, Id: `q${index}` }));
    const output = await cloudWatchClient(server.endpoint).send(new GetMetricDataCommand({ MetricDataQueries: many, ...window }));
    assert.equal(output.MetricDataResults?.length, 500);
    assert.deepEqual(output.Messages, [{ Code: 'MaxMetricsExceeded', Value: 'Maximum number of allowed metrics exceeded' }]);
  });
});
