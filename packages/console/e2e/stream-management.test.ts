import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamConsumersCommand,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  PutRecordCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, kinesisJson, type RiffleProcess } from '@riffle/testkit';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openConsole, screenshot, startConsoleRiffle, waitForCount, waitForValue, type ConsolePage } from './console-browser.js';

/** What the SDK itself reports for a call: the console must show the same type and message. */
async function sdkError(call: Promise<unknown>): Promise<{ type: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return { type: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('the call succeeded');
}

async function shownError(page: Page): Promise<{ type: string; message: string }> {
  const alert = page.getByRole('alert').first();
  await alert.waitFor();
  return { type: (await alert.locator('.error-type').textContent()) ?? '', message: (await alert.locator('.error-message').textContent()) ?? '' };
}

describe('console: managing streams', () => {
  let riffle: RiffleProcess;
  let browser: Browser;
  let sdk: KinesisClient;
  let opened: ConsolePage;
  let page: Page;

  before(async () => {
    [riffle, browser] = await Promise.all([startConsoleRiffle(), launchBrowser()]);
    sdk = kinesisClient(riffle.endpoint);
    await sdk.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 2 }));
    await waitUntilStreamExists({ client: sdk, maxWaitTime: 30 }, { StreamName: 'orders' });
    opened = await openConsole(browser, riffle.consoleEndpoint!);
    page = opened.page;
  });
  after(async () => {
    await opened?.close();
    await browser?.close();
    sdk?.destroy();
    await riffle?.stop();
  });

  it('shows an API error exactly as the API words it', async () => {
    await page.goto(`${riffle.consoleEndpoint}/create`);
    for (const name of ['orders', 'not a valid name!']) {
      await page.getByLabel('Data stream name').fill(name);
      await page.getByLabel('Provisioned', { exact: true }).check();
      await page.getByLabel('Provisioned shards').fill('1');
      await page.getByRole('button', { name: 'Create data stream' }).click();
      const expected = await sdkError(sdk.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, StreamModeDetails: { StreamMode: 'PROVISIONED' } })));
      await page.locator(`[role=alert][data-error-type="${expected.type}"]`).waitFor();
      assert.deepEqual(await shownError(page), expected);
      // And as the bytes on the wire say it.
      const wire = await kinesisJson(riffle.endpoint, 'CreateStream', { StreamName: name, ShardCount: 1, StreamModeDetails: { StreamMode: 'PROVISIONED' } });
      assert.deepEqual(await shownError(page), { type: String(wire.body.__type).split('#').pop(), message: wire.body.message });
    }
    assert.equal((await shownError(page)).type, 'ValidationException');
    await screenshot(page, 'api-error');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.locator('tr[data-stream="orders"]').waitFor();
  });

  it('puts a record from the form, to the partition key\'s shard or the explicit hash key\'s', async () => {
    await page.goto(`${riffle.consoleEndpoint}/streams/orders/put-record`);
    await page.getByLabel('Partition key').fill('customer-7');
    await page.getByLabel('Data', { exact: true }).fill('{"order": 1, "total": "9.99"}');
    await page.getByRole('button', { name: 'Put record' }).click();
    await page.getByTestId('put-sequence').waitFor();
    const sequence = await page.getByTestId('put-sequence').textContent();
    const shard = (await page.getByTestId('put-shard').textContent())!;
    await screenshot(page, 'put-record');
    const { ShardIterator } = await sdk.send(new GetShardIteratorCommand({ StreamName: 'orders', ShardId: shard, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: sequence! }));
    const [record] = (await sdk.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }))).Records!;
    assert.equal(record!.PartitionKey, 'customer-7');
    assert.equal(Buffer.from(record!.Data!).toString(), '{"order": 1, "total": "9.99"}');

    // The top of the hash key space is the second shard's, whatever the partition key.
    await page.getByLabel(/Explicit hash key/).fill((2n ** 128n - 1n).toString());
    await page.getByRole('button', { name: 'Put record' }).click();
    await waitForValue(page, async () => page.getByTestId('put-shard').textContent(), 'shardId-000000000001');
    await page.getByLabel(/Explicit hash key/).fill('0');
    await page.getByRole('button', { name: 'Put record' }).click();
    await waitForValue(page, async () => page.getByTestId('put-shard').textContent(), 'shardId-000000000000');

    // A hash key outside the space: the API's own error.
    await page.getByLabel(/Explicit hash key/).fill((2n ** 128n).toString());
    await page.getByRole('button', { name: 'Put record' }).click();
    const expected = await sdkError(sdk.send(new PutRecordCommand({ StreamName: 'orders', PartitionKey: 'customer-7', Data: Buffer.from('x'), ExplicitHashKey: (2n ** 128n).toString() })));
    assert.deepEqual(await shownError(page), expected);
  });

  it('registers, lists and deregisters enhanced fan-out consumers', async () => {
    await page.goto(`${riffle.consoleEndpoint}/streams/orders/fan-out`);
    await page.getByRole('cell', { name: 'No consumers registered.' }).waitFor();
    for (const name of ['billing', 'analytics']) {
      await page.getByLabel('Consumer name').fill(name);
      await page.getByRole('button', { name: 'Register consumer' }).click();
      await page.locator(`tr[data-consumer="${name}"] [data-column="status"]`, { hasText: 'Active' }).waitFor();
    }
    const listed = page.locator('table[aria-label="Consumers"] tbody tr[data-consumer]');
    await waitForValue(page, () => listed.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-consumer'))), ['analytics', 'billing']);
    const { Consumers } = await sdk.send(new ListStreamConsumersCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/orders' }));
    const arns = Object.fromEntries(Consumers!.map((consumer) => [consumer.ConsumerName, consumer.ConsumerARN]));
    assert.ok(await page.getByRole('cell', { name: arns.billing, exact: true }).isVisible());
    await screenshot(page, 'fan-out');

    await page.getByRole('button', { name: 'Deregister billing' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deregister billing?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Deregister' }).click();
    await waitForCount(page.locator('tr[data-consumer="billing"]'), 0);
    await waitForValue(page, async () => (await sdk.send(new ListStreamConsumersCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/orders' }))).Consumers!.map((consumer) => consumer.ConsumerName), ['analytics']);
  });

  it('edits retention, encryption, shard-level metrics and tags, and switches to on-demand', async () => {
    await page.goto(`${riffle.consoleEndpoint}/streams/orders/configuration`);
    const describe = async () => (await sdk.send(new DescribeStreamSummaryCommand({ StreamName: 'orders' }))).StreamDescriptionSummary!;

    await page.getByRole('button', { name: 'Edit: Data retention period' }).click();
    await page.getByLabel('Data retention period, in hours').fill('72');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForValue(page, async () => page.getByTestId('retention').textContent(), '3 days (72 hours)');
    assert.equal((await describe()).RetentionPeriodHours, 72);
    await page.getByTestId('stream-status').getByText('Active').waitFor();
    await page.getByRole('button', { name: 'Edit: Data retention period' }).click();
    await page.getByLabel('Data retention period, in hours').fill('48');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForValue(page, async () => page.getByTestId('retention').textContent(), '2 days (48 hours)');
    await page.getByTestId('stream-status').getByText('Active').waitFor();

    await page.getByRole('button', { name: 'Edit: Server-side encryption' }).click();
    await page.getByLabel('Enable server-side encryption').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForValue(page, async () => page.getByTestId('encryption').textContent(), 'Enabled');
    assert.deepEqual([(await describe()).EncryptionType, (await describe()).KeyId], ['KMS', 'alias/aws/kinesis']);
    await page.getByTestId('stream-status').getByText('Active').waitFor();

    await page.getByRole('button', { name: 'Edit: Enhanced (shard-level) metrics' }).click();
    await page.getByLabel('IncomingBytes').check();
    await page.getByLabel('IteratorAgeMilliseconds').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForValue(page, async () => page.getByTestId('enhanced-metrics').textContent(), 'IncomingBytes, IteratorAgeMilliseconds');
    assert.deepEqual((await describe()).EnhancedMonitoring?.[0]?.ShardLevelMetrics?.slice().sort(), ['IncomingBytes', 'IteratorAgeMilliseconds']);

    await page.getByLabel('Tag key').fill('team');
    await page.getByLabel('Tag value').fill('payments');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.locator('tr[data-tag="team"]').waitFor();
    await page.getByLabel('Tag key').fill('env');
    await page.getByLabel('Tag value').fill('dev');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.locator('tr[data-tag="env"]').waitFor();
    await screenshot(page, 'configuration-edited');
    await page.getByRole('button', { name: 'Remove tag env' }).click();
    await waitForCount(page.locator('tr[data-tag="env"]'), 0);
    assert.deepEqual((await sdk.send(new ListTagsForStreamCommand({ StreamName: 'orders' }))).Tags, [{ Key: 'team', Value: 'payments' }]);

    await page.getByRole('button', { name: 'Edit: Server-side encryption' }).click();
    await page.getByLabel('Enable server-side encryption').uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForValue(page, async () => page.getByTestId('encryption').textContent(), 'Disabled');
    await page.getByTestId('stream-status').getByText('Active').waitFor();

    await page.getByRole('button', { name: 'Edit: Capacity mode' }).click();
    await page.getByLabel('On-demand').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForValue(page, async () => page.getByTestId('capacity-mode').textContent(), 'On-demand');
    await page.getByTestId('stream-status').getByText('Active').waitFor();
    assert.equal((await describe()).StreamModeDetails?.StreamMode, 'ON_DEMAND');
  });

  it('deletes a stream only once its name is typed', async () => {
    await sdk.send(new CreateStreamCommand({ StreamName: 'scratch', ShardCount: 1 }));
    await waitUntilStreamExists({ client: sdk, maxWaitTime: 30 }, { StreamName: 'scratch' });
    await page.goto(riffle.consoleEndpoint!);
    await page.getByLabel('Select scratch').check();
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete scratch?' });
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Delete' });
    assert.equal(await confirm.isDisabled(), true);
    await dialog.getByLabel(/To confirm deletion/).fill('scratc');
    assert.equal(await confirm.isDisabled(), true);
    await dialog.getByLabel(/To confirm deletion/).fill('scratch');
    await screenshot(page, 'delete-stream');
    await confirm.click();
    await dialog.waitFor({ state: 'hidden' });
    await waitForCount(page.locator('tr[data-stream="scratch"]'), 0);
    await waitForValue(page, async () => (await sdk.send(new ListStreamsCommand({}))).StreamNames, ['orders']);
    assert.deepEqual(opened.pageErrors, []);
  });
});
