import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { CliError } from '../cli-error.js';
import type { CommandIo } from '../command-io.js';
import { tailCommand } from './tail-command.js';

/** Nothing here reaches a server: every case fails on its arguments first. */
const io = (): CommandIo => ({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: { HOME: '/nonexistent', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });

describe('riffle tail: bad invocations are refused with exit code 2 before any call', () => {
  const cases: [string[], RegExp][] = [
    [[], /name one stream to tail/],
    [['a', 'b'], /name one stream to tail, got 2/],
    [['s', '--format', 'xml'], /--format must be text, json or hex/],
    [['s', '--from', 'beginning'], /--from must be trim-horizon, latest or timestamp/],
    [['s', '--from', 'latest', '--timestamp', '1'], /--timestamp goes with --from timestamp only/],
    [['s', '--from', 'timestamp'], /--from timestamp needs --timestamp/],
    [['s', '--timestamp', 'soon'], /not an ISO 8601 time/],
    [['s', '--max-records', '0'], /--max-records must be a whole number of at least 1/],
    [['s', '--follow', '--no-follow'], /--follow and --no-follow exclude each other/],
    [['s', '--deregister'], /--deregister goes with --consumer NAME/],
    [['s', '--consumer', 'no spaces'], /--consumer "no spaces": a consumer name is 1 to 128 letters, digits, _ \. or -/],
  ];
  for (const [args, message] of cases) {
    it(`tail ${args.join(' ')}`, async () => {
      await assert.rejects(tailCommand(args, io()), (error: unknown) => error instanceof CliError && error.exitCode === 2 && message.test(error.message));
    });
  }
});
