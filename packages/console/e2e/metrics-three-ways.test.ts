import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { awsCliEnv, awsCliJson, kinesisClient, type RiffleProcess } from '@riffle/testkit';
import type { Browser } from 'playwright-core';
import { launchBrowser, openConsole, screenshot, startConsoleRiffle } from './console-browser.js';

const STREAM = 'three-ways';
const BATCHES = [4, 6, 9];
const RECORD_BYTES = 32;
const PUT = BATCHES.reduce((sum, size) => sum + size, 0);

/**
 * One server, one workload, and the same numbers found three ways: Prometheus' `/metrics` on the console port,
 * the AWS CLI's `cloudwatch get-metric-statistics` on the API port (query protocol, XML), and the console's
 * Monitoring charts (GetMetricData in the browser, through the console port).
 */
describe('metrics end to end: /metrics, the AWS CLI and the console agree', () => {
  let riffle: RiffleProcess;
  let browser: Browser;
  let read = 0;

  before(async () => {
    [riffle, browser] = await Promise.all([startConsoleRiffle(), launchBrowser()]);
    const sdk = kinesisClient(riffle.endpoint);
    await sdk.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
    await waitUntilStreamExists({ client: sdk, maxWaitTime: 30 }, { StreamName: STREAM });
    for (const [batch, size] of BATCHES.entries()) {
      const records = Array.from({ length: size }, (_, i) => ({ PartitionKey: `p${batch}-${i}`, Data: Buffer.alloc(RECORD_BYTES, batch) }));
      assert.equal((await sdk.send(new PutRecordsCommand({ StreamName: STREAM, Records: records }))).FailedRecordCount, 0);
    }
    const { ShardIterator } = await sdk.send(new GetShardIteratorCommand({ StreamName: STREAM, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    read = (await sdk.send(new GetRecordsCommand({ ShardIterator, Limit: 10 }))).Records?.length ?? 0;
    sdk.destroy();
  });
  after(async () => {
    await browser?.close();
    await riffle?.stop();
  });

  it('reads back what the workload did', () => {
    assert.equal(read, 10);
  });

  it('finds them in Prometheus text on the console port', async () => {
    const text = await (await fetch(`${riffle.consoleEndpoint}/metrics`)).text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1]);
    assert.equal(value(/^riffle_kinesis_incoming_records_total\{account="000000000000",stream="three-ways"\} (\S+)$/m), PUT);
    assert.equal(value(/^riffle_kinesis_incoming_bytes_total\{account="000000000000",stream="three-ways"\} (\S+)$/m), PUT * RECORD_BYTES);
    assert.equal(value(/^riffle_kinesis_put_records_records_total\{account="000000000000",outcome="successful",stream="three-ways"\} (\S+)$/m), PUT);
    assert.equal(value(/^riffle_kinesis_get_records_records_sum\{account="000000000000",stream="three-ways"\} (\S+)$/m), 10);
  });

  it('finds them with the AWS CLI\'s cloudwatch get-metric-statistics', async () => {
    const env = awsCliEnv(riffle.dataDir);
    const start = new Date(Date.now() - 60 * 60_000).toISOString();
    const end = new Date(Date.now() + 5 * 60_000).toISOString();
    const statistics = async (metric: string, statistic: string) => {
      const answer = (await awsCliJson(riffle.endpoint, env,
        'cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Kinesis', '--metric-name', metric,
        '--dimensions', `Name=StreamName,Value=${STREAM}`, '--start-time', start, '--end-time', end, '--period', '3600', '--statistics', statistic,
      )) as { Datapoints: Record<string, number>[] };
      const points = answer.Datapoints;
      return points.map((point) => point[statistic]!);
    };
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    assert.equal(sum(await statistics('IncomingRecords', 'Sum')), PUT);
    assert.equal(sum(await statistics('IncomingRecords', 'SampleCount')), BATCHES.length, 'one sample per PutRecords call');
    assert.equal(Math.max(...(await statistics('IncomingRecords', 'Maximum'))), Math.max(...BATCHES));
    assert.equal(sum(await statistics('IncomingBytes', 'Sum')), PUT * RECORD_BYTES);
    assert.equal(sum(await statistics('GetRecords.Records', 'Sum')), 10);
  });

  it('finds them in the console\'s Monitoring charts', { timeout: 120_000 }, async () => {
    const { page, pageErrors, close } = await openConsole(browser, `${riffle.consoleEndpoint}/streams/${STREAM}`);
    try {
      const total = (metric: string) => page.locator(`figure.chart[data-metric="${metric}"]`).first().getAttribute('data-total');
      await page.locator('[data-testid="metrics-status"][data-loading="false"]').waitFor();
      assert.equal(await total('IncomingRecords'), String(PUT));
      assert.equal(await total('IncomingBytes'), String(PUT * RECORD_BYTES));
      assert.equal(await total('PutRecords.SuccessfulRecords'), String(PUT));
      assert.equal(await total('GetRecords.Records'), '10');
      await screenshot(page, 'monitoring-three-ways');
      assert.deepEqual(pageErrors, []);
    } finally {
      await close();
    }
  });
});
