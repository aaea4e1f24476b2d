import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { riffleMain } from '@riffle/testkit';

const run = promisify(execFile);
const riffle = (...args: string[]) => run(process.execPath, [riffleMain, ...args], { timeout: 30_000 });

describe('the riffle command', () => {
  it('riffle --help names the commands', async () => {
    const { stdout } = await riffle('--help');
    assert.match(stdout, /riffle serve \[options\]/);
  });

  it('riffle serve --help lists every option with its environment variable', async () => {
    const { stdout } = await riffle('serve', '--help');
    for (const flag of ['port', 'host', 'data-dir', 'store', 'tls', 'tls-cert', 'tls-key', 'account-id', 'region', 'shard-limit', 'create-stream-ms', 'delete-stream-ms', 'update-stream-ms', 'limits', 'log-level']) {
      assert.match(stdout, new RegExp(`--${flag}\\b`));
      assert.match(stdout, new RegExp(`RIFFLE_${flag.toUpperCase().replaceAll('-', '_')}\\b`));
    }
  });

  it('refuses unknown options and commands with exit code 2', async () => {
    await assert.rejects(riffle('serve', '--no-such-flag'), (error: { code: number; stderr: string }) => error.code === 2 && /no-such-flag/.test(error.stderr));
    await assert.rejects(riffle('launch'), (error: { code: number }) => error.code === 2);
  });

  it('refuses the file store honestly until it exists', async () => {
    await assert.rejects(riffle('serve', '--port', '0', '--store', 'file'), (error: { code: number; stderr: string }) => error.code === 2 && /memory only/.test(error.stderr));
  });
});
