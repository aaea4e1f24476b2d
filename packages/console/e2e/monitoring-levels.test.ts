import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand,
  EnableEnhancedMonitoringCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, type RiffleProcess } from '@riffle/testkit';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, openConsole, screenshot, startConsoleRiffle, waitForCount, WAIT_MS } from './console-browser.js';

const STREAM = 'levels';
const PLAIN = 'levels-plain';
const ENHANCED = ['IncomingRecords', 'IncomingBytes', 'OutgoingRecords'] as const;
/** What goes to each shard, by explicit hash key: known per-shard counts. */
const PER_SHARD = [5, 3];
const SHARD_IDS = ['shardId-000000000000', 'shardId-000000000001'];
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

const chart = (page: Page, level: string, metric: string) => page.locator(`figure.chart[data-level="${level}"][data-metric="${metric}"]`);
const seriesTotals = async (figure: Locator) => JSON.parse((await figure.getAttribute('data-series-totals')) ?? 'null') as Record<string, number> | null;

/** Refreshes the Monitoring tab (bounded) until `ready()` holds: the charts read what the engine has recorded. */
async function refreshUntil(page: Page, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS * 2;
  for (;;) {
    await page.locator('[data-testid="metrics-status"][data-loading="false"]').waitFor();
    if ((await ready()) || (await page.getByRole('alert').count()) > 0 || Date.now() > deadline) return;
    await page.waitForTimeout(250);
    await page.getByRole('button', { name: 'Refresh metrics' }).click();
  }
}

/** Pixels of the chart's canvas in `colour` (#rrggbb): what uPlot drew of that series. */
function pixelsOf(figure: Locator, colour: string): Promise<number> {
  return figure.locator('canvas').evaluate((canvas: HTMLCanvasElement, hex: string) => {
    const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r!) < 8 && Math.abs(data[i + 1]! - g!) < 8 && Math.abs(data[i + 2]! - b!) < 8) count++;
    return count;
  }, colour);
}

/**
 * The Monitoring tab's shard-level and enhanced fan-out sections: a 2-shard stream with enhanced monitoring for some
 * metrics, known writes per shard (explicit hash keys), a GetRecords reader on one shard and a registered consumer
 * reading the other through SubscribeToShard (@aws-sdk/client-kinesis over HTTP/2).
 */
describe('console: Monitoring at stream, shard and consumer level', () => {
  let riffle: RiffleProcess;
  let browser: Browser;
  let sdk: KinesisClient;
  before(async () => {
    [riffle, browser] = await Promise.all([startConsoleRiffle(), launchBrowser()]);
    sdk = kinesisClient(riffle.endpoint);
    for (const [name, shards] of [[STREAM, 2], [PLAIN, 1]] as const) {
      await sdk.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
      await waitUntilStreamExists({ client: sdk, maxWaitTime: 30 }, { StreamName: name });
    }
    await sdk.send(new EnableEnhancedMonitoringCommand({ StreamName: STREAM, ShardLevelMetrics: [...ENHANCED] }));

    // Each shard gets its count, routed by the first hash key of its range.
    const shards = (await sdk.send(new ListShardsCommand({ StreamName: STREAM }))).Shards!;
    assert.deepEqual(shards.map((shard) => shard.ShardId), SHARD_IDS);
    const records = shards.flatMap((shard, s) =>
      Array.from({ length: PER_SHARD[s]! }, (_, i) => ({ PartitionKey: `k${i}`, ExplicitHashKey: shard.HashKeyRange!.StartingHashKey!, Data: Buffer.from(`shard ${s} record ${i}`) })),
    );
    const put = await sdk.send(new PutRecordsCommand({ StreamName: STREAM, Records: records }));
    assert.equal(put.FailedRecordCount, 0);
    assert.deepEqual(put.Records!.map((record) => record.ShardId), records.map((_, i) => SHARD_IDS[i < PER_SHARD[0]! ? 0 : 1]));

    // GetRecords reads shard 0.
    const { ShardIterator } = await sdk.send(new GetShardIteratorCommand({ StreamName: STREAM, ShardId: SHARD_IDS[0], ShardIteratorType: 'TRIM_HORIZON' }));
    assert.equal((await sdk.send(new GetRecordsCommand({ ShardIterator }))).Records?.length, PER_SHARD[0]);

    // A consumer reads shard 1 through SubscribeToShard; another is registered and never subscribes.
    const reader = await sdk.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(STREAM), ConsumerName: 'reader' }));
    await sdk.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(STREAM), ConsumerName: 'idle' }));
    const subscriber = kinesisClient(riffle.endpoint);
    try {
      const session = await subscriber.send(new SubscribeToShardCommand({ ConsumerARN: reader.Consumer!.ConsumerARN, ShardId: SHARD_IDS[1], StartingPosition: { Type: 'TRIM_HORIZON' } }));
      let delivered = 0;
      let events = 0;
      for await (const message of session.EventStream!) {
        delivered += message.SubscribeToShardEvent?.Records?.length ?? 0;
        if (delivered >= PER_SHARD[1]! || ++events >= 50) break;
      }
      assert.equal(delivered, PER_SHARD[1]);
    } finally {
      subscriber.destroy();
    }
  });
  after(async () => {
    await browser?.close();
    sdk?.destroy();
    await riffle?.stop();
  });

  it('charts the shard-level metrics per shard and the fan-out metrics per consumer', { timeout: 120_000 }, async () => {
    const { page, pageErrors, close } = await openConsole(browser, `${riffle.consoleEndpoint}/streams/${STREAM}`);
    try {
      await page.getByRole('heading', { name: 'Stream metrics', level: 2 }).waitFor();
      await page.getByRole('heading', { name: 'Shard metrics', level: 2 }).waitFor();
      await page.getByRole('heading', { name: 'Enhanced fan-out metrics', level: 2 }).waitFor();
      const incoming = chart(page, 'shard', 'IncomingRecords');
      const delivered = chart(page, 'consumer', 'SubscribeToShardEvent.Records');
      await refreshUntil(page, async () => (await seriesTotals(incoming))?.[SHARD_IDS[1]!] === PER_SHARD[1] && (await delivered.getAttribute('data-total')) === String(PER_SHARD[1]));

      // Shard metrics: a chart per enabled metric only, a series per shard.
      const shardCharts = page.locator('figure.chart[data-level="shard"]');
      await waitForCount(shardCharts, ENHANCED.length);
      assert.deepEqual((await shardCharts.evaluateAll((figures) => figures.map((figure) => figure.getAttribute('data-metric')))).sort(), [...ENHANCED].sort());
      assert.deepEqual(await seriesTotals(incoming), { [SHARD_IDS[0]!]: PER_SHARD[0], [SHARD_IDS[1]!]: PER_SHARD[1] });
      assert.equal(await incoming.getAttribute('data-total'), String(PER_SHARD[0]! + PER_SHARD[1]!));
      const bytes = (s: number) => Array.from({ length: PER_SHARD[s]! }, (_, i) => `shard ${s} record ${i}`.length).reduce((a, b) => a + b, 0);
      assert.deepEqual(await seriesTotals(chart(page, 'shard', 'IncomingBytes')), { [SHARD_IDS[0]!]: bytes(0), [SHARD_IDS[1]!]: bytes(1) });
      // OutgoingRecords: GetRecords read shard 0; the consumer's SubscribeToShard read shard 1.
      assert.deepEqual(await seriesTotals(chart(page, 'shard', 'OutgoingRecords')), { [SHARD_IDS[0]!]: PER_SHARD[0], [SHARD_IDS[1]!]: PER_SHARD[1] });
      // The stream-level chart beside them counts the same records once.
      assert.equal(await chart(page, 'stream', 'IncomingRecords').getAttribute('data-total'), String(PER_SHARD[0]! + PER_SHARD[1]!));
      assert.equal(await chart(page, 'stream', 'GetRecords.Records').getAttribute('data-total'), String(PER_SHARD[0]));

      // The legend names each shard in its own colour; the data table lists each shard's datapoints.
      const legend = incoming.locator('li.legend-item');
      assert.deepEqual(await legend.evaluateAll((items) => items.map((item) => item.getAttribute('data-series'))), SHARD_IDS);
      const colours = await legend.evaluateAll((items) => items.map((item) => item.getAttribute('data-colour')));
      assert.equal(new Set(colours).size, 2, `distinct colours: ${colours.join(', ')}`);
      for (const colour of colours) assert.ok((await pixelsOf(incoming, colour!)) > 0, `shard series in ${colour} is drawn`);
      await incoming.getByText('Data table').click();
      const rows = await incoming.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-series'), Number(tr.getAttribute('data-value'))] as const));
      for (const [s, shard] of SHARD_IDS.entries()) {
        assert.equal(rows.filter(([series]) => series === shard).reduce((sum, [, value]) => sum + value, 0), PER_SHARD[s], `${shard} in the data table`);
      }
      assert.equal(await incoming.getByRole('rowheader', { name: SHARD_IDS[1]! }).first().isVisible(), true);
      await page.getByTestId('shard-metrics').scrollIntoViewIfNeeded();
      await screenshot(page, 'monitoring-shard-level');

      // Enhanced fan-out: a chart per fan-out metric, a series per registered consumer.
      await waitForCount(page.locator('figure.chart[data-level="consumer"]'), 6);
      assert.deepEqual(await seriesTotals(delivered), { idle: 0, reader: PER_SHARD[1] });
      assert.equal(await delivered.locator('li.legend-item[data-series="idle"]').textContent(), 'idle (no data)');
      assert.equal((await seriesTotals(chart(page, 'consumer', 'SubscribeToShardEvent.Bytes')))?.reader, bytes(1));
      assert.equal(await chart(page, 'consumer', 'SubscribeToShardEvent.MillisBehindLatest').getAttribute('data-stat'), 'Maximum');
      const subscriptions = chart(page, 'consumer', 'SubscribeToShard.Success');
      assert.deepEqual(await seriesTotals(subscriptions), { idle: 0, reader: 1 });
      // One subscription is one datapoint: drawn as a visible point, not left as nothing between two edges.
      assert.equal(await subscriptions.locator('li.legend-item[data-series="reader"]').getAttribute('data-points'), '1');
      const readerColour = (await subscriptions.locator('li.legend-item[data-series="reader"]').getAttribute('data-colour'))!;
      assert.ok((await pixelsOf(subscriptions, readerColour)) >= 20, 'the lone datapoint is drawn as a point');
      await delivered.getByText('Data table').click();
      assert.deepEqual(
        await delivered.locator('tbody tr').evaluateAll((trs) => [...new Set(trs.map((tr) => tr.getAttribute('data-series')))]),
        ['reader'],
      );
      await page.getByTestId('fan-out-metrics').scrollIntoViewIfNeeded();
      await screenshot(page, 'monitoring-fan-out');
      assert.deepEqual(pageErrors, []);
    } finally {
      await close();
    }
  });

  it('reads more series than one GetMetricData call takes (500 queries): 80 shards, all seven metrics', { timeout: 120_000 }, async () => {
    const WIDE = 'levels-wide';
    await sdk.send(new CreateStreamCommand({ StreamName: WIDE, ShardCount: 80 }));
    await waitUntilStreamExists({ client: sdk, maxWaitTime: 30 }, { StreamName: WIDE });
    await sdk.send(new EnableEnhancedMonitoringCommand({ StreamName: WIDE, ShardLevelMetrics: ['ALL'] }));
    const last = (await sdk.send(new ListShardsCommand({ StreamName: WIDE }))).Shards!.at(-1)!;
    assert.equal(last.ShardId, 'shardId-000000000079');
    await sdk.send(new PutRecordsCommand({ StreamName: WIDE, Records: [{ PartitionKey: 'k', ExplicitHashKey: last.HashKeyRange!.StartingHashKey!, Data: Buffer.from('x') }] }));
    const { ShardIterator } = await sdk.send(new GetShardIteratorCommand({ StreamName: WIDE, ShardId: last.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    assert.equal((await sdk.send(new GetRecordsCommand({ ShardIterator }))).Records?.length, 1);

    const { page, pageErrors, close } = await openConsole(browser, `${riffle.consoleEndpoint}/streams/${WIDE}`);
    try {
      // 7 charts x 80 shards: the last chart's last shard is query 560, in the second call.
      const read = chart(page, 'shard', 'ReadProvisionedThroughputExceeded');
      const lastEntry = read.locator(`li.legend-item[data-series="${last.ShardId}"]`);
      await refreshUntil(page, async () => (await lastEntry.getAttribute('data-points').catch(() => null)) === '1');
      await waitForCount(page.locator('figure.chart[data-level="shard"]'), 7);
      assert.equal(await read.locator('li.legend-item').count(), 80);
      assert.equal(await lastEntry.getAttribute('data-points'), '1');
      assert.equal(await lastEntry.getAttribute('data-total'), '0');
      assert.equal(await read.getAttribute('data-points'), '1');
      assert.equal((await seriesTotals(chart(page, 'shard', 'OutgoingRecords')))?.[last.ShardId!], 1);
      assert.equal(await chart(page, 'shard', 'IncomingRecords').getAttribute('data-total'), '1');
      assert.deepEqual(pageErrors, []);
    } finally {
      await close();
    }
  });

  it('says when shard-level monitoring is off, and its link opens the enhanced monitoring edit', { timeout: 60_000 }, async () => {
    const { page, pageErrors, close } = await openConsole(browser, `${riffle.consoleEndpoint}/streams/${PLAIN}`);
    try {
      await page.locator('[data-testid="metrics-status"][data-loading="false"]').waitFor();
      const off = page.getByTestId('shard-metrics-off');
      await off.waitFor();
      assert.match((await off.textContent()) ?? '', /Enhanced \(shard-level\) monitoring is off for this stream/);
      assert.equal(await page.locator('figure.chart[data-level="shard"]').count(), 0);
      assert.equal(await page.locator('figure.chart[data-level="stream"]').count(), 18);
      await page.getByTestId('fan-out-metrics-none').waitFor();
      assert.equal(await page.locator('figure.chart[data-level="consumer"]').count(), 0);

      // By keyboard: the link, Enter, and the Configuration tab's edit opens with focus on its first metric.
      const link = off.getByRole('link', { name: 'Enable enhanced monitoring' });
      await link.focus();
      await page.keyboard.press('Enter');
      await page.locator('[role="tab"][aria-selected="true"]', { hasText: 'Configuration' }).waitFor();
      const first = page.getByRole('checkbox', { name: 'IncomingBytes' });
      await first.waitFor();
      assert.equal(await first.evaluate((element) => element === document.activeElement), true);
      await page.keyboard.press('Space');
      assert.equal(await first.isChecked(), true);
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByTestId('enhanced-metrics').getByText('IncomingBytes').waitFor();

      // Back on Monitoring, the stream now has a shard-level chart.
      await page.getByRole('tab', { name: 'Monitoring' }).click();
      await waitForCount(page.locator('figure.chart[data-level="shard"]'), 1);
      assert.equal(await page.locator('figure.chart[data-level="shard"]').getAttribute('data-metric'), 'IncomingBytes');
      assert.deepEqual(pageErrors, []);
    } finally {
      await close();
    }
  });
});
