import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListMetricsCommand, type ListMetricsCommandInput } from '@aws-sdk/client-cloudwatch';
import { CLOUDWATCH_PROTOCOLS, cloudWatchClient } from '@riffle/testkit';
import { NS, queryCall, recordMinutes, startCloudWatchServer, type CloudWatchServer } from './cloudwatch-server.js';

const names = (output: { Metrics?: { MetricName?: string; Dimensions?: { Name?: string; Value?: string }[] }[] }) =>
  (output.Metrics ?? []).map((metric) => [metric.MetricName, ...(metric.Dimensions ?? []).map((dimension) => `${dimension.Name}=${dimension.Value}`)].join(' '));

describe('ListMetrics', () => {
  let server: CloudWatchServer;
  before(async () => {
    server = await startCloudWatchServer();
    recordMinutes(server.registry, 'IncomingRecords', { StreamName: 'orders' }, [1], [1]);
    recordMinutes(server.registry, 'IncomingRecords', { StreamName: 'orders', ShardId: 'shardId-000000000000' }, [1], [1]);
    recordMinutes(server.registry, 'IncomingBytes', { StreamName: 'clicks' }, [4 * 60], [1]);
    recordMinutes(server.registry, 'SubscribeToShard.Success', { StreamName: 'orders', ConsumerName: 'app' }, [2], [1]);
  });
  after(() => server.close());

  for (const protocol of CLOUDWATCH_PROTOCOLS) {
    it(`lists the metrics with data, filtered by name, dimensions and recency (${protocol})`, async () => {
      const client = cloudWatchClient(server.endpoint, protocol);
      const list = async (input: ListMetricsCommandInput) => names(await client.send(new ListMetricsCommand(input)));
      assert.deepEqual(await list({ Namespace: NS }), [
        'IncomingBytes StreamName=clicks',
        'IncomingRecords ShardId=shardId-000000000000 StreamName=orders',
        'IncomingRecords StreamName=orders',
        'SubscribeToShard.Success ConsumerName=app StreamName=orders',
      ]);
      assert.deepEqual(await list({ Namespace: NS, RecentlyActive: 'PT3H', MetricName: 'IncomingBytes' }), []);
      assert.deepEqual(await list({ Dimensions: [{ Name: 'ShardId' }] }), ['IncomingRecords ShardId=shardId-000000000000 StreamName=orders']);
      assert.deepEqual(await list({ MetricName: 'IncomingRecords', Dimensions: [{ Name: 'StreamName', Value: 'orders' }] }), [
        'IncomingRecords ShardId=shardId-000000000000 StreamName=orders',
        'IncomingRecords StreamName=orders',
      ]);
      assert.deepEqual(await list({ Namespace: 'AWS/EC2' }), []);
    });
  }

  it('pages 500 metrics at a time and refuses a token of another request', async () => {
    const paged = await startCloudWatchServer();
    try {
      for (let index = 0; index < 501; index++) recordMinutes(paged.registry, 'IncomingRecords', { StreamName: `s${String(index).padStart(3, '0')}` }, [1], [1]);
      const client = cloudWatchClient(paged.endpoint, 'query');
      const first = await client.send(new ListMetricsCommand({ Namespace: NS }));
      assert.equal(first.Metrics?.length, 500);
      assert.ok(first.NextToken);
      const second = await client.send(new ListMetricsCommand({ Namespace: NS, NextToken: first.NextToken }));
      assert.deepEqual(names(second), ['IncomingRecords StreamName=s500']);
      assert.equal(second.NextToken, undefined);
      const refused = await client.send(new ListMetricsCommand({ MetricName: 'Other', NextToken: first.NextToken })).then(
        () => undefined,
        (error: { Code?: string; message: string }) => [error.Code, error.message],
      );
      assert.deepEqual(refused, ['InvalidParameterValue', 'The next token specified is invalid.']);
    } finally {
      await paged.close();
    }
  });

  it("answers the AWS CLI's query form with members and dimensions in XML", async () => {
    const response = await queryCall(server.endpoint, 'Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FKinesis&MetricName=SubscribeToShard.Success&RecentlyActive=PT3H');
    assert.equal(response.status, 200);
    assert.equal(
      response.body.toString('utf8'),
      '<ListMetricsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ListMetricsResult><Metrics><member><Namespace>AWS/Kinesis</Namespace>' +
        '<MetricName>SubscribeToShard.Success</MetricName><Dimensions><member><Name>ConsumerName</Name><Value>app</Value></member>' +
        '<member><Name>StreamName</Name><Value>orders</Value></member></Dimensions></member></Metrics></ListMetricsResult>' +
        `<ResponseMetadata><RequestId>${response.headers['x-amzn-requestid']}</RequestId></ResponseMetadata></ListMetricsResponse>`,
    );
  });
});
