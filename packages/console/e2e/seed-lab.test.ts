import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand, PutRecordsCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { kinesisClient, type RiffleProcess } from '@riffle/testkit';
import type { Browser } from 'playwright-core';
import { launchBrowser, openConsole, screenshot, shownRecords, startConsoleRiffle, waitForCount, waitForValue } from './console-browser.js';

/**
 * The course lab of the seeds (shared/seeds/000_*): a provisioned stream with one shard, a generator writing into
 * it, the records seen in the console's Data viewer from Trim horizon, a reshard, and the Monitoring charts.
 */
describe('console: the seed lab', () => {
  let riffle: RiffleProcess;
  let browser: Browser;
  before(async () => {
    [riffle, browser] = await Promise.all([startConsoleRiffle(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await riffle?.stop();
  });

  it('creates a 1-shard provisioned stream, shows the generator\'s records from Trim horizon, reshards to 2, and charts the metrics', { timeout: 120_000 }, async () => {
    const { page, pageErrors, close } = await openConsole(browser, riffle.consoleEndpoint!);
    try {
      await page.getByRole('heading', { name: /Data streams/ }).waitFor();
      await page.getByRole('cell', { name: 'No data streams.' }).waitFor();
      await screenshot(page, 'stream-list-empty');

      // Step 1: the stream, provisioned, one shard.
      await page.getByRole('link', { name: 'Create data stream' }).first().click();
      await page.getByLabel('Data stream name').fill('lab-metrics');
      await page.getByLabel('Provisioned', { exact: true }).check();
      await page.getByLabel('Provisioned shards').fill('1');
      await screenshot(page, 'create-stream');
      await page.getByRole('button', { name: 'Create data stream' }).click();
      await page.getByRole('heading', { name: 'lab-metrics', level: 1 }).waitFor();
      await page.getByTestId('stream-status').getByText('Active').waitFor();
      assert.equal(await page.getByTestId('stream-mode').textContent(), 'Provisioned');
      assert.equal(await page.getByTestId('stream-shards').textContent(), '1');
      assert.equal(await page.getByTestId('stream-arn').textContent(), 'arn:aws:kinesis:us-east-1:000000000000:stream/lab-metrics');

      // Step 2: the generator writes its metrics events (through the API port, as the lab's generator would).
      const events = Array.from({ length: 12 }, (_, i) => ({ host: `host-${i % 3}`, cpu: 10 + i, at: `2026-01-01T00:00:${String(i).padStart(2, '0')}Z` }));
      const sdk = kinesisClient(riffle.endpoint);
      const put = await sdk.send(new PutRecordsCommand({ StreamName: 'lab-metrics', Records: events.map((event) => ({ PartitionKey: event.host, Data: Buffer.from(JSON.stringify(event)) })) }));
      assert.equal(put.FailedRecordCount, 0);
      sdk.destroy();

      // The pitfall of the lab: after the generator stopped, Latest shows nothing, Trim horizon shows it all.
      await page.getByRole('tab', { name: 'Data viewer' }).click();
      await page.getByLabel('Starting position').selectOption({ label: 'Latest' });
      await page.getByRole('button', { name: 'Get records' }).click();
      await page.getByRole('cell', { name: 'No records at this position.' }).waitFor();
      await page.getByLabel('Starting position').selectOption({ label: 'Trim horizon' });
      await page.getByRole('button', { name: 'Get records' }).click();
      const rows = page.locator('table[aria-label="Records"] tbody tr[data-sequence]');
      await waitForCount(rows, 12);
      assert.deepEqual(await shownRecords(page), events.map((event) => [event.host, JSON.stringify(event)]));
      const arrival = Number(await rows.first().locator('[data-column="arrival"]').getAttribute('data-epoch-ms'));
      assert.ok(Math.abs(arrival - Date.now()) < 10 * 60_000, 'the arrival time is the time of the put');
      await screenshot(page, 'data-viewer-trim-horizon');

      // Edit the shard count: 1 -> 2 (UpdateShardCount), seen in the summary once the stream is ACTIVE again.
      await page.getByRole('tab', { name: 'Configuration' }).click();
      await page.getByRole('button', { name: 'Edit: Capacity mode' }).click();
      await page.getByLabel('Provisioned shards').fill('2');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await waitForValue(page, async () => (await page.getByTestId('stream-shards').textContent()) ?? '', '2');
      await page.getByTestId('stream-status').getByText('Active').waitFor();
      assert.equal(await page.getByTestId('open-shards').textContent(), '2');
      await screenshot(page, 'configuration');

      // The Data viewer now offers the closed parent and its two children.
      await page.getByRole('tab', { name: 'Data viewer' }).click();
      await waitForValue(page, () => page.getByLabel('Shard').locator('option').allTextContents(), ['shardId-000000000000 (closed)', 'shardId-000000000001', 'shardId-000000000002']);

      // Monitoring: one chart per stream metric, drawn for the chosen range.
      await page.getByRole('tab', { name: 'Monitoring' }).click();
      const charts = page.locator('figure.chart');
      await waitForCount(charts, 18);
      await page.locator('[data-testid="metrics-status"][data-loading="false"]').waitFor();
      assert.deepEqual((await charts.evaluateAll((figures) => figures.map((figure) => figure.getAttribute('data-metric')))).slice(0, 2), ['IncomingRecords', 'IncomingBytes']);
      await page.getByLabel('3h').check({ force: true });
      await page.locator('[data-testid="metrics-status"][data-loading="false"]', { hasText: '5 minutes' }).waitFor();
      await screenshot(page, 'monitoring');

      // Back to the list: the stream as the list shows it.
      await page.getByRole('link', { name: 'Data streams', exact: true }).click();
      const row = page.locator('tr[data-stream="lab-metrics"]');
      await row.waitFor();
      await waitForValue(page, () => row.locator('td').allTextContents(), ['', 'lab-metrics', 'Active', 'Provisioned', '2', '1 day']);
      await screenshot(page, 'stream-list');
      assert.deepEqual(pageErrors, []);
    } finally {
      await close();
    }
  });

  it('charts the numbers of what was written and read: IncomingRecords, IncomingBytes, PutRecords, GetRecords', { timeout: 120_000 }, async () => {
    const sdk = kinesisClient(riffle.endpoint);
    await sdk.send(new CreateStreamCommand({ StreamName: 'lab-counted', ShardCount: 1 }));
    await waitUntilStreamExists({ client: sdk, maxWaitTime: 30 }, { StreamName: 'lab-counted' });
    const batches = [7, 5];
    let bytes = 0;
    for (const [batch, size] of batches.entries()) {
      const records = Array.from({ length: size }, (_, i) => ({ PartitionKey: `p${i}`, Data: Buffer.from(`batch ${batch} record ${i}`) }));
      bytes += records.reduce((sum, record) => sum + record.Data.length, 0);
      assert.equal((await sdk.send(new PutRecordsCommand({ StreamName: 'lab-counted', Records: records }))).FailedRecordCount, 0);
    }
    const single = Buffer.from('one more, by PutRecord');
    await sdk.send(new PutRecordCommand({ StreamName: 'lab-counted', PartitionKey: 'single', Data: single }));
    const { ShardIterator } = await sdk.send(new GetShardIteratorCommand({ StreamName: 'lab-counted', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    assert.equal((await sdk.send(new GetRecordsCommand({ ShardIterator }))).Records?.length, 13);
    sdk.destroy();

    const { page, pageErrors, close } = await openConsole(browser, `${riffle.consoleEndpoint}/streams/lab-counted`);
    try {
      const total = (metric: string) => page.locator(`figure.chart[data-metric="${metric}"]`).getAttribute('data-total');
      // Refresh until the minute's numbers are in (bounded): the charts read what the engine has recorded.
      const deadline = Date.now() + 30_000;
      while ((await total('IncomingRecords').catch(() => null)) !== '13' && Date.now() < deadline) {
        await page.locator('[data-testid="metrics-status"][data-loading="false"]').waitFor();
        if ((await total('IncomingRecords')) === '13' || (await page.getByRole('alert').count()) > 0) break;
        await page.getByRole('button', { name: 'Refresh metrics' }).click();
        await page.waitForTimeout(250);
      }
      assert.equal(await total('IncomingRecords'), '13');
      assert.equal(await total('IncomingBytes'), String(bytes + single.length));
      assert.equal(await total('PutRecords.TotalRecords'), '12');
      assert.equal(await total('PutRecords.SuccessfulRecords'), '12');
      assert.equal(await total('PutRecords.FailedRecords'), '0');
      assert.equal(await total('PutRecord.Bytes'), String(single.length));
      assert.equal(await total('GetRecords.Records'), '13');
      // The same numbers in the chart's data table, for those who do not see the chart.
      const chart = page.locator('figure.chart[data-metric="IncomingRecords"]');
      await chart.getByText('Data table').click();
      const values = await chart.locator('tbody tr').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-value'))));
      assert.equal(values.reduce((sum, value) => sum + value, 0), 13);
      assert.equal(await chart.locator('canvas').count() > 0, true, 'uPlot drew the chart');
      await screenshot(page, 'monitoring-numbers');
      assert.deepEqual(pageErrors, []);
    } finally {
      await close();
    }
  });
});
