import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateStreamCommand, PutRecordCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { AWS_CLI, awsCliEnv, awsCliJson, awsCliVersion, cloudWatchClient, kinesisClient, startRiffle, type RiffleProcess } from '@riffle/testkit';

const run = promisify(execFile);

const STREAM = 'metered';
const RECORDS = 5;
const RECORD_BYTES = 100;

describe('CloudWatch metrics of a stream, read with the AWS CLI v2 and @aws-sdk/client-cloudwatch', () => {
  let riffle: RiffleProcess;
  let env: NodeJS.ProcessEnv;
  let window: { start: Date; end: Date };

  const aws = (...args: string[]): Promise<any> => awsCliJson(riffle.endpoint, env, ...args);

  before(async () => {
    riffle = await startRiffle();
    env = awsCliEnv(riffle.dataDir);
    const kinesis = kinesisClient(riffle.endpoint);
    await kinesis.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30 }, { StreamName: STREAM });
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
    for (let index = 0; index < RECORDS; index++) {
      await kinesis.send(new PutRecordCommand({ StreamName: STREAM, PartitionKey: `k${index}`, Data: Buffer.alloc(RECORD_BYTES, index) }));
    }
    // Whatever minute the puts fell in, they are inside this window.
    window = { start, end: new Date(Math.floor(Date.now() / 60_000) * 60_000 + 2 * 60_000) };
    kinesis.destroy();
  });
  after(async () => {
    await riffle.stop();
  });

  it('is the AWS CLI v2, which sends the query protocol', async () => {
    assert.match(await awsCliVersion(env), /^aws-cli\/2\./);
  });

  it('get-metric-statistics answers on the API port, Kinesis beside it', async () => {
    const answer = await aws(
      'cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Kinesis', '--metric-name', 'IncomingRecords',
      '--dimensions', `Name=StreamName,Value=${STREAM}`, '--start-time', window.start.toISOString(), '--end-time', window.end.toISOString(),
      '--period', '60', '--statistics', 'Sum',
    );
    assert.equal(answer.Label, 'IncomingRecords');
    assert.ok(Array.isArray(answer.Datapoints));
    const refused = await run(AWS_CLI, ['--endpoint-url', riffle.endpoint, 'cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Kinesis', '--metric-name', 'IncomingRecords',
      '--start-time', window.start.toISOString(), '--end-time', window.end.toISOString(), '--period', '90', '--statistics', 'Sum'], { env }).then(
      () => '',
      (error: { stderr: string }) => error.stderr,
    );
    assert.match(refused, /\(InvalidParameterValue\) when calling the GetMetricStatistics operation: The parameter Period must be a multiple of 60\./);
  });

  it('get-metric-statistics finds IncomingRecords and IncomingBytes of the puts', async () => {
    const sumOf = async (metric: string) => {
      const answer = await aws(
        'cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Kinesis', '--metric-name', metric,
        '--dimensions', `Name=StreamName,Value=${STREAM}`, '--start-time', window.start.toISOString(), '--end-time', window.end.toISOString(),
        '--period', '60', '--statistics', 'Sum', 'SampleCount',
      );
      return answer.Datapoints.reduce((total: number, point: { Sum: number }) => total + point.Sum, 0);
    };
    assert.equal(await sumOf('IncomingRecords'), RECORDS);
    assert.equal(await sumOf('IncomingBytes'), RECORDS * RECORD_BYTES);
  });

  it('GetMetricData and ListMetrics through @aws-sdk/client-cloudwatch find them too', async () => {
    const client = cloudWatchClient(riffle.endpoint);
    const data = await client.send(
      new GetMetricDataCommand({
        StartTime: window.start,
        EndTime: window.end,
        MetricDataQueries: ['IncomingRecords', 'IncomingBytes'].map((name, index) => ({
          Id: `m${index}`,
          MetricStat: { Metric: { Namespace: 'AWS/Kinesis', MetricName: name, Dimensions: [{ Name: 'StreamName', Value: STREAM }] }, Period: 60, Stat: 'Sum' },
        })),
      }),
    );
    const sums = data.MetricDataResults?.map((result) => (result.Values ?? []).reduce((total, value) => total + value, 0));
    assert.deepEqual(sums, [RECORDS, RECORDS * RECORD_BYTES]);
    const listed = await client.send(new ListMetricsCommand({ Namespace: 'AWS/Kinesis', Dimensions: [{ Name: 'StreamName', Value: STREAM }] }));
    const names = (listed.Metrics ?? []).filter((metric) => metric.Dimensions?.length === 1).map((metric) => metric.MetricName);
    assert.ok(names.includes('IncomingRecords') && names.includes('IncomingBytes'), `listed: ${names.join(', ')}`);
    client.destroy();
  });
});

describe('CloudWatch reads with --auth strict', () => {
  const key = { accessKeyId: 'AKIDCWREADER', secretAccessKey: 'cw-reader-secret' };
  let riffle: RiffleProcess;
  before(async () => {
    riffle = await startRiffle({ args: ['--auth', 'strict'], env: { RIFFLE_ACCESS_KEYS: `${key.accessKeyId}:${key.secretAccessKey}:111122223333` } });
  });
  after(async () => {
    await riffle.stop();
  });

  it('verifies signatures made for service monitoring, in every protocol', async () => {
    for (const protocol of ['json-1.0', 'query', 'rpc-v2-cbor'] as const) {
      const client = cloudWatchClient(riffle.endpoint, protocol, key);
      assert.deepEqual((await client.send(new ListMetricsCommand({ Namespace: 'AWS/Kinesis' }))).Metrics, [], protocol);
      const wrong = cloudWatchClient(riffle.endpoint, protocol, { ...key, secretAccessKey: 'not-the-secret' });
      const refused = await wrong.send(new ListMetricsCommand({})).then(
        () => undefined,
        (error: { Code?: string; name: string }) => error.Code ?? error.name,
      );
      assert.equal(refused, 'SignatureDoesNotMatch', protocol);
      client.destroy();
      wrong.destroy();
    }
  });
});
