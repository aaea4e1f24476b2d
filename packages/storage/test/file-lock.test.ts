import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openFileStorage } from '@riffle/storage';

/** A Node.js process that lives until killed, and a way to wait for its end. */
function sleeper() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

describe('file store: the data directory lock', () => {
  it('refuses a directory locked by a live process and takes over one whose process is gone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'riffle-lock-unit-'));
    try {
      const holder = sleeper();
      writeFileSync(join(dataDir, 'riffle.lock'), `${holder.child.pid}\n`);
      await assert.rejects(openFileStorage({ dataDir }), { code: 'RIFFLE_ERR_DATA_DIR_IN_USE' });
      holder.child.kill('SIGKILL');
      await holder.exited;
      const storage = await openFileStorage({ dataDir });
      assert.equal(readFileSync(join(dataDir, 'riffle.lock'), 'utf8').trim(), String(process.pid));
      await storage.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
