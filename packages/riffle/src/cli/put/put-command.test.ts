import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { CliError } from '../cli-error.js';
import type { CommandIo } from '../command-io.js';
import { putCommand } from './put-command.js';

/** A terminal on stdin (no piped data); nothing here reaches a server, every case fails on its arguments first. */
const io = (): CommandIo => ({ stdin: Object.assign(new PassThrough(), { isTTY: true }), stdout: new PassThrough(), stderr: new PassThrough(), env: { HOME: '/nonexistent', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });

describe('riffle put: bad invocations are refused with exit code 2 before any call', () => {
  const cases: [string[], RegExp][] = [
    [[], /name the stream/],
    [['s'], /no records to put: give them as arguments, with --file, or on standard input/],
    [['s', '-', '--file', '-'], /standard input \(-\) can be read once only/],
    [['s', 'x', '--partition-key', 'a', '--random-partition-key'], /exclude each other/],
    [['s', 'x', '--partition-key', 'a', '--partition-key-field', 'f'], /exclude each other/],
    [['s', 'x', '--partition-key', ''], /--partition-key: the partition key is empty/],
    [['s', 'x', '--partition-key', 'k'.repeat(257)], /257 characters/],
    [['s', 'x', '--base64', '--hex'], /--base64 and --hex exclude each other/],
    [['s', 'x', '--explicit-hash-key', 'ten'], /--explicit-hash-key must be a decimal number/],
    [['s', 'x', '--output', 'xml'], /--output must be text or json/],
    [['s', 'x', '--max-attempts', '0'], /--max-attempts must be a whole number from 1 to 100/],
    [['s', '--file', '/nonexistent/riffle-put-missing.txt'], /cannot read \/nonexistent\/riffle-put-missing\.txt: ENOENT/],
  ];
  for (const [args, message] of cases) {
    it(`put ${args.join(' ').slice(0, 60)}`, async () => {
      await assert.rejects(putCommand(args, io()), (error: unknown) => error instanceof CliError && error.exitCode === 2 && message.test(error.message));
    });
  }
});
