import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { fastArgs, kinesisClient, killRiffle, riffleMain, startRiffle } from '@riffle/testkit';

const run = promisify(execFile);

describe('one Riffle per data directory', () => {
  it('a second server on a data directory in use exits with code 2 and names the holder; a crashed holder does not block', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'riffle-lock-'));
    try {
      const first = await startRiffle({ dataDir });
      assert.equal(readFileSync(join(dataDir, 'riffle.lock'), 'utf8').trim(), String(first.child.pid));
      await assert.rejects(
        run(process.execPath, [riffleMain, 'serve', '--port', '0', '--data-dir', dataDir, ...fastArgs], { timeout: 30_000 }),
        (error: { code: number; stderr: string }) =>
          error.code === 2 && new RegExp(`in use by another Riffle \\(pid ${first.child.pid}\\)`).test(error.stderr),
      );
      // The refused server touched nothing: the first one still answers.
      const client = kinesisClient(first.endpoint);
      assert.deepEqual((await client.send(new ListStreamsCommand({}))).StreamNames, []);
      client.destroy();

      await killRiffle(first);
      assert.ok(existsSync(join(dataDir, 'riffle.lock')), 'kill -9 leaves the lock behind');
      const second = await startRiffle({ dataDir });
      assert.equal(readFileSync(join(dataDir, 'riffle.lock'), 'utf8').trim(), String(second.child.pid));
      assert.equal(await second.stop(), 0, second.logs.join('\n'));
      assert.ok(!existsSync(join(dataDir, 'riffle.lock')), 'a clean stop releases the lock');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
