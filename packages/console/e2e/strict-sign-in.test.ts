import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand, ListStreamsCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { kinesisClient, type RiffleProcess } from '@riffle/testkit';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openConsole, screenshot, startConsoleRiffle, waitForCount } from './console-browser.js';

const KEY = { accessKeyId: 'AKIDCONSOLEUSER', secretAccessKey: 'console-user-secret' };
const SESSION = { accessKeyId: 'ASIACONSOLESESSION', secretAccessKey: 'session-secret', sessionToken: 'session-token+/=' };

/** What the SDK is told for a key, through the API port: the dialog must show the same. */
async function refusal(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<{ type: string; message: string }> {
  const client = kinesisClient(endpoint, { credentials, region: 'eu-west-1' });
  try {
    await client.send(new ListStreamsCommand({}));
  } catch (error) {
    return { type: (error as Error).name, message: (error as Error).message };
  } finally {
    client.destroy();
  }
  throw new Error('the key was accepted');
}

async function dialogError(page: Page): Promise<{ type: string; message: string }> {
  const alert = page.getByRole('dialog', { name: 'Sign in' }).getByRole('alert');
  await alert.waitFor();
  return { type: (await alert.locator('.error-type').textContent()) ?? '', message: (await alert.locator('.error-message').textContent()) ?? '' };
}

describe('console: strict mode sign-in', () => {
  let riffle: RiffleProcess;
  let browser: Browser;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-console-keys-'));
    const file = join(dir, 'access-keys.json');
    await writeFile(file, JSON.stringify({ accessKeys: [{ ...SESSION, accountId: '000000000000', expiration: '2999-01-01T00:00:00Z' }] }));
    [riffle, browser] = await Promise.all([
      startConsoleRiffle({ args: ['--auth', 'strict', '--access-keys', file, '--region', 'eu-west-1'], env: { RIFFLE_ACCESS_KEYS: `${KEY.accessKeyId}:${KEY.secretAccessKey}:000000000000` } }),
      launchBrowser(),
    ]);
    const sdk = kinesisClient(riffle.endpoint, { credentials: KEY, region: 'eu-west-1' });
    await sdk.send(new CreateStreamCommand({ StreamName: 'guarded', ShardCount: 1 }));
    await waitUntilStreamExists({ client: sdk, maxWaitTime: 30 }, { StreamName: 'guarded' });
    sdk.destroy();
  });
  after(async () => {
    await browser?.close();
    await riffle?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('asks for a key, shows a refusal as the API words it, keeps the key for the tab only, and signs out', { timeout: 120_000 }, async () => {
    const { page, pageErrors, close } = await openConsole(browser, riffle.consoleEndpoint!);
    try {
      const dialog = page.getByRole('dialog', { name: 'Sign in' });
      await dialog.waitFor();
      assert.equal(await page.locator('.region').textContent(), 'eu-west-1');
      await screenshot(page, 'strict-sign-in');

      // A wrong secret, then an unknown key: each refusal is the API's own.
      await dialog.getByLabel('Access key ID').fill(KEY.accessKeyId);
      await dialog.getByLabel('Secret access key').fill('not-the-secret');
      await dialog.getByRole('button', { name: 'Sign in' }).click();
      const wrongSecret = await refusal(riffle.endpoint, { accessKeyId: KEY.accessKeyId, secretAccessKey: 'not-the-secret' });
      assert.equal(wrongSecret.type, 'InvalidSignatureException');
      assert.deepEqual(await dialogError(page), wrongSecret);
      await dialog.getByLabel('Access key ID').fill('AKIDNOBODY');
      await dialog.getByRole('button', { name: 'Sign in' }).click();
      const unknown = await refusal(riffle.endpoint, { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'not-the-secret' });
      assert.equal(unknown.type, 'UnrecognizedClientException');
      await dialog.locator('[role=alert][data-error-type="UnrecognizedClientException"]').waitFor();
      assert.deepEqual(await dialogError(page), unknown);
      await screenshot(page, 'strict-sign-in-refused');

      await dialog.getByLabel('Access key ID').fill(KEY.accessKeyId);
      await dialog.getByLabel('Secret access key').fill(KEY.secretAccessKey);
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      await page.locator('tr[data-stream="guarded"]').waitFor();
      assert.equal(await page.getByTestId('signed-in-as').textContent(), KEY.accessKeyId);
      // sessionStorage only, never localStorage; a reload of the tab keeps it.
      assert.deepEqual(await page.evaluate(() => [Object.keys(sessionStorage), localStorage.length]), [['riffle.credentials'], 0]);
      await page.reload();
      await page.locator('tr[data-stream="guarded"]').waitFor();
      assert.equal(await dialog.count(), 0);

      // Signed calls work on every page: the stream's Data viewer reads through the console port.
      await page.getByRole('link', { name: 'guarded' }).click();
      await page.getByRole('tab', { name: 'Data viewer' }).click();
      await page.getByRole('button', { name: 'Get records' }).click();
      await page.getByRole('cell', { name: 'No records at this position.' }).waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await dialog.waitFor();
      assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage)), []);
      assert.deepEqual(pageErrors, []);
    } finally {
      await close();
    }

    // Another tab (a new context) starts signed out; temporary credentials take their session token.
    const other = await openConsole(browser, riffle.consoleEndpoint!);
    try {
      const dialog = other.page.getByRole('dialog', { name: 'Sign in' });
      await dialog.waitFor();
      await dialog.getByLabel('Access key ID').fill(SESSION.accessKeyId);
      await dialog.getByLabel('Secret access key').fill(SESSION.secretAccessKey);
      await dialog.getByRole('button', { name: 'Sign in' }).click();
      const noToken = await refusal(riffle.endpoint, { accessKeyId: SESSION.accessKeyId, secretAccessKey: SESSION.secretAccessKey });
      assert.deepEqual(await dialogError(other.page), noToken);
      await dialog.getByLabel('Session token - optional').fill(SESSION.sessionToken);
      await dialog.getByRole('button', { name: 'Sign in' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await other.page.locator('tr[data-stream="guarded"]').waitFor();
      assert.deepEqual(other.pageErrors, []);
      assert.deepEqual(await other.page.evaluate(() => JSON.parse(sessionStorage.getItem('riffle.credentials')!)), SESSION);
    } finally {
      await other.close();
    }
  });

  it('signs CloudWatch calls too: the Monitoring tab reads the metrics with the key', { timeout: 60_000 }, async () => {
    const { page, pageErrors, close } = await openConsole(browser, `${riffle.consoleEndpoint}/streams/guarded`);
    try {
      const dialog = page.getByRole('dialog', { name: 'Sign in' });
      await dialog.getByLabel('Access key ID').fill(KEY.accessKeyId);
      await dialog.getByLabel('Secret access key').fill(KEY.secretAccessKey);
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      // Every chart has its datapoints (an answer, maybe empty), or the tab shows the API's refusal.
      await page.locator('figure.chart[data-points], [role=alert]').first().waitFor();
      await page.locator('[data-testid="metrics-status"][data-loading="false"]').waitFor();
      assert.equal(await page.getByRole('alert').count(), 0, await page.getByRole('alert').allTextContents().then(String));
      await waitForCount(page.locator('figure.chart[data-points]'), 18);
      assert.deepEqual(pageErrors, []);
    } finally {
      await close();
    }
  });
});
