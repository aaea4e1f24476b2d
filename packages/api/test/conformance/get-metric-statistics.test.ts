import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetMetricStatisticsCommand, type GetMetricStatisticsCommandInput } from '@aws-sdk/client-cloudwatch';
import { decodeCbor, encodeCbor } from '@riffle/wire';
import { CLOUDWATCH_PROTOCOLS, cloudWatchClient, rawRequest } from '@riffle/testkit';
import { MINUTE, NOW, NS, json10Call, monitoringHeaders, queryCall, recordMinutes, startCloudWatchServer, type CloudWatchServer } from './cloudwatch-server.js';

const stream = { StreamName: 'orders' };
const base: GetMetricStatisticsCommandInput = {
  Namespace: NS,
  MetricName: 'IncomingRecords',
  Dimensions: [{ Name: 'StreamName', Value: 'orders' }],
  StartTime: new Date(NOW - 10 * MINUTE),
  EndTime: new Date(NOW),
  Period: 60,
  Statistics: ['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'],
};

async function refusal(server: CloudWatchServer, protocol: (typeof CLOUDWATCH_PROTOCOLS)[number], input: Partial<GetMetricStatisticsCommandInput>) {
  const error = await cloudWatchClient(server.endpoint, protocol)
    .send(new GetMetricStatisticsCommand({ ...base, ...input } as GetMetricStatisticsCommandInput))
    .then(() => undefined, (caught: unknown) => caught as { name: string; message: string; Code?: string; $metadata: { httpStatusCode?: number } });
  assert.ok(error, 'the call was refused');
  return { code: error.Code, message: error.message, status: error.$metadata.httpStatusCode };
}

describe('GetMetricStatistics', () => {
  let server: CloudWatchServer;
  before(async () => {
    server = await startCloudWatchServer();
    recordMinutes(server.registry, 'IncomingRecords', stream, [3, 2], [5, 1]);
    recordMinutes(server.registry, 'IncomingRecords', { ...stream, ShardId: 'shardId-000000000000' }, [3], [100]);
    recordMinutes(server.registry, 'IncomingBytes', stream, [2], [512]);
  });
  after(() => server.close());

  for (const protocol of CLOUDWATCH_PROTOCOLS) {
    it(`answers each minute's statistics of the exact dimension set, oldest first (${protocol})`, async () => {
      const output = await cloudWatchClient(server.endpoint, protocol).send(new GetMetricStatisticsCommand(base));
      assert.equal(output.Label, 'IncomingRecords');
      assert.deepEqual(
        output.Datapoints?.map((point) => ({ ...point })),
        [3, 2].map((ago) => ({ Timestamp: new Date(NOW - ago * MINUTE), Sum: 6, SampleCount: 2, Average: 3, Minimum: 1, Maximum: 5, Unit: 'Count' })),
      );
    });

    it(`refuses periods, times and statistics as CloudWatch does (${protocol})`, async () => {
      assert.deepEqual(await refusal(server, protocol, { Period: 90 }), { code: 'InvalidParameterValue', message: 'The parameter Period must be a multiple of 60.', status: 400 });
      assert.deepEqual(await refusal(server, protocol, { StartTime: new Date(NOW), EndTime: new Date(NOW) }), {
        code: 'InvalidParameterValue',
        message: 'The parameter StartTime must be less than the parameter EndTime.',
        status: 400,
      });
      assert.deepEqual(await refusal(server, protocol, { Statistics: undefined }), {
        code: 'InvalidParameterCombination',
        message: 'Must specify either Statistics or ExtendedStatistics',
        status: 400,
      });
      assert.deepEqual(await refusal(server, protocol, { StartTime: new Date(NOW - 1500 * MINUTE) }), {
        code: 'InvalidParameterCombination',
        message: 'You have requested up to 1500 datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
        status: 400,
      });
      assert.deepEqual(await refusal(server, protocol, { Statistics: ['Median' as 'Sum'] }), {
        code: 'ValidationError',
        message:
          "1 validation error detected: Value '[Median]' at 'statistics' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [Maximum, SampleCount, Sum, Minimum, Average]]",
        status: 400,
      });
      assert.deepEqual(await refusal(server, protocol, { Period: 0 }), {
        code: 'ValidationError',
        message: "1 validation error detected: Value '0' at 'period' failed to satisfy constraint: Member must have value greater than or equal to 1",
        status: 400,
      });
      assert.deepEqual(await refusal(server, protocol, { Statistics: undefined, ExtendedStatistics: ['p101'] }), {
        code: 'InvalidParameterValue',
        message: 'The value p101 for parameter ExtendedStatistics.member.1 is not supported.',
        status: 400,
      });
    });
  }

  it('counts periods from the rounded StartTime, and 1440 datapoints are still answered', async () => {
    const client = cloudWatchClient(server.endpoint);
    const fiveMinutes = await client.send(new GetMetricStatisticsCommand({ ...base, StartTime: new Date(NOW - 4 * MINUTE - 30_000), Period: 300, Statistics: ['Sum'] }));
    // 12:00 minus 4.5 minutes rounds down to 11:55; both minutes fall in the period starting there.
    assert.deepEqual(fiveMinutes.Datapoints?.map((point) => ({ ...point })), [{ Timestamp: new Date(NOW - 5 * MINUTE), Sum: 12, Unit: 'Count' }]);
    const day = await client.send(new GetMetricStatisticsCommand({ ...base, StartTime: new Date(NOW - 1440 * MINUTE), Statistics: ['Sum'] }));
    assert.equal(day.Datapoints?.length, 2);
  });

  it('keeps shard-level and stream-level series apart, and gives the metric its unit', async () => {
    const client = cloudWatchClient(server.endpoint);
    const shard = await client.send(new GetMetricStatisticsCommand({ ...base, Dimensions: [...base.Dimensions!, { Name: 'ShardId', Value: 'shardId-000000000000' }], Statistics: ['Sum'] }));
    assert.deepEqual(shard.Datapoints?.map((point) => point.Sum), [100]);
    const bytes = await client.send(new GetMetricStatisticsCommand({ ...base, MetricName: 'IncomingBytes', Statistics: ['Sum'] }));
    assert.deepEqual(bytes.Datapoints?.map((point) => [point.Sum, point.Unit]), [[512, 'Bytes']]);
    const noDimensions = await client.send(new GetMetricStatisticsCommand({ ...base, Dimensions: [] }));
    assert.deepEqual(noDimensions.Datapoints, []);
  });

  it('answers nothing for another unit or another namespace, as CloudWatch does', async () => {
    const client = cloudWatchClient(server.endpoint);
    assert.deepEqual((await client.send(new GetMetricStatisticsCommand({ ...base, Unit: 'Bytes' }))).Datapoints, []);
    assert.equal((await client.send(new GetMetricStatisticsCommand({ ...base, Unit: 'Count' }))).Datapoints?.length, 2);
    assert.deepEqual((await client.send(new GetMetricStatisticsCommand({ ...base, Namespace: 'AWS/EC2' }))).Datapoints, []);
  });

  it('gives percentiles only where a minute aggregate determines them', async () => {
    const output = await cloudWatchClient(server.endpoint, 'query').send(
      new GetMetricStatisticsCommand({ ...base, MetricName: 'IncomingBytes', Statistics: undefined, ExtendedStatistics: ['p99', 'p50'] }),
    );
    assert.deepEqual(output.Datapoints?.map((point) => point.ExtendedStatistics), [{ p99: 512, p50: 512 }]);
    const mixed = await cloudWatchClient(server.endpoint).send(new GetMetricStatisticsCommand({ ...base, Statistics: undefined, ExtendedStatistics: ['p99'] }));
    assert.deepEqual(mixed.Datapoints?.map((point) => point.ExtendedStatistics ?? {}), [{}, {}]);
  });

  it("answers the AWS CLI's query form in CloudWatch's XML", async () => {
    const form =
      'Action=GetMetricStatistics&Version=2010-08-01&Namespace=AWS%2FKinesis&MetricName=IncomingBytes&Dimensions.member.1.Name=StreamName' +
      `&Dimensions.member.1.Value=orders&StartTime=${encodeURIComponent(new Date(NOW - 10 * MINUTE).toISOString())}` +
      `&EndTime=${encodeURIComponent(new Date(NOW).toISOString())}&Period=60&Statistics.member.1=Sum&Statistics.member.2=Average`;
    const response = await queryCall(server.endpoint, form);
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/xml');
    const requestId = response.headers['x-amzn-requestid'];
    assert.equal(
      response.body.toString('utf8'),
      '<GetMetricStatisticsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricStatisticsResult>' +
        '<Label>IncomingBytes</Label><Datapoints><member><Timestamp>2026-12-01T11:58:00Z</Timestamp><Average>512.0</Average><Sum>512.0</Sum>' +
        `<Unit>Bytes</Unit></member></Datapoints></GetMetricStatisticsResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
        '</GetMetricStatisticsResponse>',
    );
  });

  it('answers errors in the XML ErrorResponse, the JSON 1.0 __type with x-amzn-query-error, and rpc-v2-cbor', async () => {
    const xml = await queryCall(server.endpoint, 'Action=GetMetricStatistics&Version=2010-08-01&Namespace=AWS%2FKinesis');
    assert.equal(xml.status, 400);
    assert.equal(
      xml.body.toString('utf8'),
      '<ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>Sender</Type><Code>MissingParameter</Code>' +
        `<Message>The parameter MetricName is required.</Message></Error><RequestId>${xml.headers['x-amzn-requestid']}</RequestId></ErrorResponse>`,
    );
    const json = await json10Call(server.endpoint, 'GetMetricStatistics', { Namespace: NS, MetricName: 'm', StartTime: NOW / 1000, EndTime: NOW / 1000, Period: 60, Statistics: ['Sum'] });
    assert.equal(json.status, 400);
    assert.equal(json.headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
    assert.equal(json.headers['content-type'], 'application/x-amz-json-1.0');
    assert.deepEqual(JSON.parse(json.body.toString('utf8')), {
      __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException',
      message: 'The parameter StartTime must be less than the parameter EndTime.',
    });
    const cbor = await rawRequest(server.endpoint, {
      path: '/service/GraniteServiceVersion20100801/operation/GetMetricStatistics',
      headers: { 'Content-Type': 'application/cbor', Accept: 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', ...monitoringHeaders() },
      body: encodeCbor({ Namespace: NS, MetricName: 'm', StartTime: NOW / 1000 - 60, EndTime: NOW / 1000, Period: 90, Statistics: ['Sum'] }),
    });
    assert.equal(cbor.status, 400);
    assert.equal(cbor.headers['smithy-protocol'], 'rpc-v2-cbor');
    assert.equal(cbor.headers['content-type'], 'application/cbor');
    assert.equal(cbor.headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
    assert.deepEqual(decodeCbor(cbor.body), { __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException', message: 'The parameter Period must be a multiple of 60.' });
  });

  it("reads the query protocol's values by type and refuses those that are not", async () => {
    const response = await queryCall(server.endpoint, 'Action=GetMetricStatistics&Version=2010-08-01&Namespace=AWS%2FKinesis&MetricName=m&StartTime=yesterday&EndTime=2026-12-01T12:00:00Z&Period=60');
    assert.equal(response.status, 400);
    assert.match(response.body.toString('utf8'), /<Code>InvalidParameterValue<\/Code><Message>Value \(yesterday\) for parameter StartTime is invalid\.<\/Message>/);
  });
});
