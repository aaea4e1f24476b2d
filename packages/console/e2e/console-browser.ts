import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startRiffle, type RiffleProcess, type StartOptions } from '@riffle/testkit';

/** Debian's chromium (browsers cannot be downloaded here); .ci/run installs it. */
export const CHROMIUM = process.env.RIFFLE_CHROMIUM ?? '/usr/bin/chromium';

/** packages/console/dist/e2e -> packages/console/e2e/screenshots (gitignored: every run writes them anew). */
export const SCREENSHOTS = fileURLToPath(new URL('../../e2e/screenshots/', import.meta.url));


/** Playwright's waits are bounded by this; nothing asserts how long anything took. */
export const WAIT_MS = 15_000;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (or set RIFFLE_CHROMIUM)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

/** A Riffle with its console port on an ephemeral port, fast lifecycles, in memory. */
export function startConsoleRiffle(options: StartOptions = {}): Promise<RiffleProcess> {
  return startRiffle({ ...options, console: true, args: ['--store', 'memory', ...(options.args ?? [])] });
}

export interface ConsolePage {
  readonly page: Page;
  /** Uncaught errors in the page; a test ends by checking there were none. */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/** A fresh browser context (its own sessionStorage) at a laptop's screen size, in UTC and en-US. */
export async function openConsole(browser: Browser, url: string): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'UTC', locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
  return { page, pageErrors, close: () => context.close() };
}

/** A full-page screenshot at a stable path, returned for the test's log. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Waits (bounded) until the locator matches exactly `count` elements. */
export async function waitForCount(locator: Locator, count: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = await locator.count();
    if (found === count) return;
    if (Date.now() > deadline) throw new Error(`expected ${count} of ${locator.toString()}, found ${found}`);
    await locator.page().waitForTimeout(50);
  }
}

/** Waits (bounded) until `read()` gives `expected`, then returns it; fails with the last value read. */
export async function waitForValue<T>(page: Page, read: () => Promise<T>, expected: T): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let last: T;
  for (;;) {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(expected)) return last;
    if (Date.now() > deadline) throw new Error(`expected ${JSON.stringify(expected)}, last read ${JSON.stringify(last)}`);
    await page.waitForTimeout(50);
  }
}

/** The records table's rows as [partition key, data as shown]. */
export async function shownRecords(page: Page): Promise<string[][]> {
  return page.locator('table[aria-label="Records"] tbody tr[data-sequence]').evaluateAll((rows) =>
    rows.map((row) => [row.querySelector('[data-column="partition-key"]')!.textContent ?? '', row.querySelector('[data-column="data"] pre')!.textContent ?? '']),
  );
}
