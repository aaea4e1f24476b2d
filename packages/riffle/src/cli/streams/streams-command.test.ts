import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { CliError } from '../cli-error.js';
import type { CommandIo } from '../command-io.js';
import { streamsCommand } from './streams-command.js';

/** In-process IO: nothing here reaches a server, every case fails on its arguments first. */
const io = (): CommandIo => ({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: { HOME: '/nonexistent', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });

describe('riffle streams: bad invocations are refused with exit code 2 before any call', () => {
  const cases: [string[], RegExp][] = [
    [[], /name a subcommand/],
    [['rename', 'x'], /unknown subcommand "rename"/],
    [['create'], /takes one stream name/],
    [['describe', 'a', 'b'], /takes one stream name or ARN, got 2/],
    [['list', 'x'], /streams list takes no stream name/],
    [['create', 'x', '--shards', '0'], /--shards must be a whole number of at least 1/],
    [['create', 'x', '--shards', 'two'], /--shards must be a whole number/],
    [['create', 'x', '--shards', '2', '--on-demand'], /exclude each other/],
    [['create', 'x', '--retention-hours', '12'], /--retention-hours must be a whole number from 24 to 8760/],
    [['create', 'x', '--wait', '--no-wait'], /--wait and --no-wait exclude each other/],
    [['create', 'x', '--tag', 'novalue'], /--tag "novalue" must be KEY=VALUE/],
    [['list', '--output', 'yaml'], /--output must be text or json/],
    [['describe', 'x', '--shards', '2'], /streams describe takes no --shards/],
    [['delete', 'x', '--on-demand'], /streams delete takes no --on-demand/],
  ];
  for (const [args, message] of cases) {
    it(`streams ${args.join(' ')}`, async () => {
      await assert.rejects(streamsCommand(args, io()), (error: unknown) => error instanceof CliError && error.exitCode === 2 && message.test(error.message));
    });
  }

  it('--help prints the usage and exits 0', async () => {
    const streams = io();
    assert.equal(await streamsCommand(['--help'], streams), 0);
    assert.match(String((streams.stdout as PassThrough).read()), /riffle streams create NAME/);
  });
});
