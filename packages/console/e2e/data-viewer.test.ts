import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand, waitUntilStreamExists, type KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient, type RiffleProcess } from '@riffle/testkit';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openConsole, screenshot, shownRecords, startConsoleRiffle, waitForCount, waitForValue, type ConsolePage } from './console-browser.js';

const STREAM = 'viewer';
const rows = (page: Page) => page.locator('table[aria-label="Records"] tbody tr[data-sequence]');

/** The Data viewer against records whose positions are known: every starting position, the views, paging, live tail. */
describe('console: the Data viewer', () => {
  let riffle: RiffleProcess;
  let browser: Browser;
  let sdk: KinesisClient;
  let opened: ConsolePage;
  let page: Page;
  /** Sequence numbers of the first batch, in order. */
  let first: string[];
  /** The first whole second after the first batch: the second batch arrives at or after it. */
  let boundary: Date;

  const put = async (partitionKey: string, data: string | Uint8Array) =>
    (await sdk.send(new PutRecordCommand({ StreamName: STREAM, PartitionKey: partitionKey, Data: typeof data === 'string' ? Buffer.from(data) : data }))).SequenceNumber!;

  before(async () => {
    [riffle, browser] = await Promise.all([startConsoleRiffle(), launchBrowser()]);
    sdk = kinesisClient(riffle.endpoint);
    await sdk.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
    await waitUntilStreamExists({ client: sdk, maxWaitTime: 30 }, { StreamName: STREAM });
    first = [];
    for (let i = 0; i < 12; i++) first.push(await put(`first-${i}`, `first record ${i}`));
    // Arrival times are compared by the second in the form: wait (a bound, not an assertion) for the next second.
    const { ShardIterator } = await sdk.send(new GetShardIteratorCommand({ StreamName: STREAM, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    const last = (await sdk.send(new GetRecordsCommand({ ShardIterator }))).Records!.at(-1)!.ApproximateArrivalTimestamp!;
    boundary = new Date(Math.floor(last.getTime() / 1000) * 1000 + 1000);
    while (Date.now() < boundary.getTime() + 5) await delay(boundary.getTime() + 5 - Date.now());
    await put('json', JSON.stringify({ sensor: 'a-1', readings: [1, 2.5], ok: true }));
    await put('binary', new Uint8Array([0x00, 0x01, 0x7f, 0x80, 0xff, 0x41, 0x42]));
    opened = await openConsole(browser, `${riffle.consoleEndpoint}/streams/${STREAM}/data-viewer`);
    page = opened.page;
    await page.getByRole('heading', { name: 'Data viewer' }).waitFor();
  });
  after(async () => {
    await opened?.close();
    await browser?.close();
    sdk?.destroy();
    await riffle?.stop();
  });

  const getRecords = async (position: string, fill?: { label: string | RegExp; value: string }) => {
    await page.getByLabel('Starting position').selectOption({ label: position });
    if (fill) await page.getByLabel(fill.label, { exact: true }).fill(fill.value);
    await page.getByRole('button', { name: 'Get records' }).click();
  };
  const keysShown = async () => (await shownRecords(page)).map(([key]) => key);

  it('reads from Trim horizon in pages, following NextShardIterator', async () => {
    await page.getByLabel('Records per page').selectOption('10');
    await getRecords('Trim horizon');
    await waitForValue(page, keysShown, Array.from({ length: 10 }, (_, i) => `first-${i}`));
    await page.getByText('10 records, page 1.').waitFor();
    await page.getByRole('button', { name: 'Next records' }).click();
    await waitForValue(page, keysShown, ['first-10', 'first-11', 'json', 'binary']);
    await page.getByText('4 records, page 2.').waitFor();
    await page.getByLabel('Records per page').selectOption('25');
  });

  it('starts at and after a sequence number', async () => {
    await getRecords('At sequence number', { label: 'Sequence number', value: first[3]! });
    await waitForValue(page, keysShown, [...Array.from({ length: 9 }, (_, i) => `first-${i + 3}`), 'json', 'binary']);
    assert.equal(await rows(page).first().getAttribute('data-sequence'), first[3]);
    await screenshot(page, 'data-viewer-at-sequence-number');
    await getRecords('After sequence number', { label: 'Sequence number', value: first[3]! });
    await waitForValue(page, keysShown, [...Array.from({ length: 8 }, (_, i) => `first-${i + 4}`), 'json', 'binary']);
  });

  it('starts at a timestamp', async () => {
    // datetime-local, in the page's time zone (UTC): the first batch arrived before the boundary, the rest at or after it.
    await getRecords('At timestamp', { label: 'Start date and time (local)', value: boundary.toISOString().slice(0, 19) });
    await waitForValue(page, keysShown, ['json', 'binary']);
    await screenshot(page, 'data-viewer-at-timestamp');
  });

  it('starts at Latest: nothing until something new arrives', async () => {
    await getRecords('Latest');
    await page.getByRole('cell', { name: 'No records at this position.' }).waitFor();
    assert.equal(await rows(page).count(), 0);
  });

  it('shows data as text, pretty JSON or hex', async () => {
    await getRecords('Trim horizon');
    await waitForCount(rows(page), 14);
    const data = (key: string) => page.locator('table[aria-label="Records"] tbody tr', { has: page.getByRole('cell', { name: key, exact: true }) }).locator('[data-column="data"]');
    assert.equal(await data('json').locator('pre').textContent(), '{"sensor":"a-1","readings":[1,2.5],"ok":true}');
    assert.equal(await data('first-0').locator('pre').textContent(), 'first record 0');

    await page.getByText('JSON', { exact: true }).click();
    await waitForValue(page, async () => data('json').locator('pre').textContent(), JSON.stringify({ sensor: 'a-1', readings: [1, 2.5], ok: true }, null, 2));
    assert.equal(await data('first-0').locator('.hint').textContent(), 'Not JSON: shown as text');
    await screenshot(page, 'data-viewer-json');

    await page.getByText('Hex', { exact: true }).click();
    await waitForValue(page, async () => data('binary').locator('pre').textContent(), `00000000  00 01 7f 80 ff 41 42${' '.repeat(47 - 20)}  ....?AB`.replace('?', '.'));
    assert.equal(await data('first-0').locator('pre').textContent(), `00000000  66 69 72 73 74 20 72 65 63 6f 72 64 20 30${' '.repeat(47 - 41)}  first record 0`);
    await screenshot(page, 'data-viewer-hex');
    await page.getByText('Text', { exact: true }).click();
  });

  it('tails live: a record put after the tail started appears without another click', async () => {
    await page.getByLabel('Starting position').selectOption({ label: 'Latest' });
    await page.getByRole('button', { name: 'Start live tail' }).click();
    await page.getByText(/^Live tail: reading every second\./).waitFor();
    assert.equal(await rows(page).count(), 0);
    await put('tail-1', 'seen by the tail');
    await waitForValue(page, async () => (await shownRecords(page)).map(([key, data]) => `${key}=${data}`), ['tail-1=seen by the tail']);
    await put('tail-2', 'and the next one');
    await waitForValue(page, keysShown, ['tail-1', 'tail-2']);
    await screenshot(page, 'data-viewer-live-tail');
    await page.getByRole('button', { name: 'Stop live tail' }).click();
    await page.getByRole('button', { name: 'Start live tail' }).waitFor();
    assert.deepEqual(opened.pageErrors, []);
  });
});
