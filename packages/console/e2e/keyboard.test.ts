import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { kinesisClient, type RiffleProcess } from '@riffle/testkit';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, openConsole, screenshot, startConsoleRiffle, waitForCount, waitForValue } from './console-browser.js';

/** Presses Tab (or Shift+Tab) until `target` has focus: it must be reachable by keyboard within `max` presses. */
async function tabTo(page: Page, target: Locator, { back = false, max = 40 } = {}): Promise<void> {
  for (let presses = 0; presses <= max; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${target.toString()} not reached by ${back ? 'Shift+Tab' : 'Tab'} within ${max} presses`);
}

const isFocused = (target: Locator) => target.evaluate((element) => element === document.activeElement);
/** Keyboard focus must be visible: an outline on the focused element. */
const focusRing = (target: Locator) => target.evaluate((element) => getComputedStyle(element).outlineStyle);

describe('console: by keyboard alone', () => {
  let riffle: RiffleProcess;
  let browser: Browser;
  before(async () => {
    [riffle, browser] = await Promise.all([startConsoleRiffle(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await riffle?.stop();
  });

  it('creates a stream, reshards it, reads it and deletes it without a mouse', { timeout: 120_000 }, async () => {
    const { page, pageErrors, close } = await openConsole(browser, riffle.consoleEndpoint!);
    try {
      await page.getByRole('cell', { name: 'No data streams.' }).waitFor();
      // The first stop is the skip link; then the page's actions in reading order.
      await page.keyboard.press('Tab');
      assert.equal(await isFocused(page.getByRole('link', { name: 'Skip to content' })), true);
      const create = page.getByRole('link', { name: 'Create data stream' }).first();
      await tabTo(page, create);
      assert.notEqual(await focusRing(create), 'none');
      await screenshot(page, 'keyboard-focus');
      await page.keyboard.press('Enter');

      const name = page.getByLabel('Data stream name');
      await name.waitFor();
      assert.equal(await isFocused(name), true, 'the name field has focus on arrival');
      await page.keyboard.type('keys-only');
      await page.keyboard.press('Tab');
      assert.equal(await isFocused(page.getByLabel('On-demand')), true);
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.getByLabel('Provisioned', { exact: true }).isChecked(), true);
      await page.keyboard.press('Tab');
      assert.equal(await isFocused(page.getByLabel('Provisioned shards')), true);
      await page.keyboard.press('Control+A');
      await page.keyboard.type('1');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'keys-only', level: 1 }).waitFor();
      await page.getByTestId('stream-status').getByText('Active').waitFor();

      // Tabs: one tab stop, arrows move between them.
      const monitoring = page.getByRole('tab', { name: 'Monitoring' });
      await tabTo(page, monitoring);
      await page.keyboard.press('ArrowRight');
      const configuration = page.getByRole('tab', { name: 'Configuration' });
      assert.equal(await configuration.getAttribute('aria-selected'), 'true');
      assert.equal(await isFocused(configuration), true);

      // Edit opens in place with focus in the form; Escape cancels and gives focus back to Edit.
      const edit = page.getByRole('button', { name: 'Edit: Capacity mode' });
      await tabTo(page, edit);
      await page.keyboard.press('Enter');
      const shards = page.getByLabel('Provisioned shards');
      await shards.waitFor();
      assert.equal(await isFocused(page.getByRole('radio', { name: 'Provisioned' })), true);
      await page.keyboard.press('Escape');
      await waitForCount(shards, 0);
      assert.equal(await isFocused(edit), true);
      await page.keyboard.press('Enter');
      await tabTo(page, shards);
      await page.keyboard.press('Control+A');
      await page.keyboard.type('2');
      await page.keyboard.press('Enter');
      await waitForValue(page, async () => page.getByTestId('stream-shards').textContent(), '2');
      await page.getByTestId('stream-status').getByText('Active').waitFor();

      // The Data viewer, by arrows to its tab, arrows in the shard list and Enter on Get records.
      const sdk = kinesisClient(riffle.endpoint);
      const { ShardId } = await sdk.send(new PutRecordCommand({ StreamName: 'keys-only', PartitionKey: 'k', Data: Buffer.from('typed, not clicked') }));
      await tabTo(page, page.getByRole('tab', { name: 'Configuration' }), { back: true });
      await page.keyboard.press('ArrowRight');
      assert.equal(await page.getByRole('tab', { name: 'Data viewer' }).getAttribute('aria-selected'), 'true');
      const shard = page.getByLabel('Shard');
      await tabTo(page, shard);
      await waitForCount(shard.locator('option'), 3);
      for (let presses = 0; presses < 3 && (await shard.inputValue()) !== ShardId; presses++) await page.keyboard.press('ArrowDown');
      assert.equal(await shard.inputValue(), ShardId);
      await tabTo(page, page.getByRole('button', { name: 'Get records' }));
      await page.keyboard.press('Enter');
      await waitForCount(page.locator('tr[data-sequence]'), 1);
      assert.equal(await page.locator('tr[data-sequence] pre').textContent(), 'typed, not clicked');

      // Delete: Escape closes the dialog and focus returns to Delete; then the typed name and Enter delete.
      const remove = page.getByRole('button', { name: 'Delete' });
      await tabTo(page, remove, { back: true });
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Delete keys-only?' });
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await isFocused(remove), true);
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      assert.equal(await isFocused(dialog.getByLabel(/To confirm deletion/)), true);
      await page.keyboard.type('keys-only');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: /Data streams/ }).waitFor();
      await waitForValue(page, async () => (await sdk.send(new ListStreamsCommand({}))).StreamNames, []);
      sdk.destroy();
      assert.deepEqual(pageErrors, []);
    } finally {
      await close();
    }
  });
});
