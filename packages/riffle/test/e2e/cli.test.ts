import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { riffleMain } from '@riffle/testkit';

const run = promisify(execFile);
const riffle = (...args: string[]) => run(process.execPath, [riffleMain, ...args], { timeout: 30_000 });

describe('the riffle command', () => {
  it('riffle --help names the commands', async () => {
    const { stdout } = await riffle('--help');
    assert.match(stdout, /riffle serve \[options\]/);
    assert.match(stdout, /riffle cluster \[options\]/);
  });

  it('riffle serve --help lists every option with its environment variable', async () => {
    const { stdout } = await riffle('serve', '--help');
    for (const flag of ['port', 'host', 'data-dir', 'store', 'tls', 'tls-cert', 'tls-key', 'account-id', 'region', 'shard-limit', 'create-stream-ms', 'delete-stream-ms', 'update-stream-ms', 'throughput', 'control-plane-limits', 'limits', 'fault-injection', 'fault-seed', 'log-level', 'fsync', 'fsync-interval-ms', 'segment-bytes', 'segment-ms', 'retention-check-ms']) {
      assert.match(stdout, new RegExp(`--${flag}\\b`));
      assert.match(stdout, new RegExp(`RIFFLE_${flag.toUpperCase().replaceAll('-', '_')}\\b`));
    }
  });

  it('refuses a bad --fault-injection with exit code 2 and the reason', async () => {
    await assert.rejects(
      riffle('serve', '--port', '0', '--store', 'memory', '--fault-injection', 'PutRecords:explode=0.5'),
      (error: { code: number; stderr: string }) => error.code === 2 && /--fault-injection: .*explode/.test(error.stderr),
    );
  });

  it('refuses unknown options and commands with exit code 2', async () => {
    await assert.rejects(riffle('serve', '--no-such-flag'), (error: { code: number; stderr: string }) => error.code === 2 && /no-such-flag/.test(error.stderr));
    await assert.rejects(riffle('launch'), (error: { code: number }) => error.code === 2);
  });

  it('refuses a data directory written in another format, with exit code 2 and the reason', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'riffle-cli-'));
    try {
      writeFileSync(join(dataDir, 'riffle-data.json'), '{"format":"riffle-data","version":99}\n');
      await assert.rejects(
        riffle('serve', '--port', '0', '--data-dir', dataDir),
        (error: { code: number; stderr: string }) => error.code === 2 && /format 99.*reads format 1/.test(error.stderr),
      );
      // The marker is left as it was: a newer Riffle's data is never rewritten by an older one.
      assert.match(readFileSync(join(dataDir, 'riffle-data.json'), 'utf8'), /"version":99/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
