import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { CliError } from '../cli-error.js';
import type { CommandIo } from '../command-io.js';
import { FakeRunClock } from './fake-run-clock.js';
import { generateCommandWith } from './generate-command.js';

async function generate(args: string[], clock = new FakeRunClock()): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const io: CommandIo = { stdin: new PassThrough(), stdout, stderr, env: { HOME: '/nonexistent' } };
  const code = await generateCommandWith(clock)(args, io);
  return { code, stdout: out, stderr: err };
}

const refusal = async (args: string[]): Promise<string> => {
  try {
    await generate(args);
  } catch (error) {
    assert.ok(error instanceof CliError && error.exitCode === 2, String(error));
    return error.message;
  }
  return assert.fail('accepted');
};

describe('riffle generate (in-process, fake clock)', () => {
  it('--dry-run with --start-time repeats data and simulated timestamps for a seed', async () => {
    const args = ['--dry-run', '--data-profile', 'host-metrics', '--count', '4', '--seed', '77', '--start-time', '2024-05-01T00:00:00Z', '--step', '10s'];
    const first = await generate(args);
    const second = await generate(args, new FakeRunClock(Date.UTC(2030, 0, 1)));
    assert.equal(first.code, 0);
    assert.equal(first.stdout, second.stdout);
    const stamps = first.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { timestamp: string }).timestamp);
    assert.deepEqual(stamps, ['2024-05-01T00:00:00.000Z', '2024-05-01T00:00:10.000Z', '2024-05-01T00:00:20.000Z', '2024-05-01T00:00:30.000Z']);
    assert.match(first.stderr, /printed 4 records \(nothing sent\).*seed 77/);
  });

  it('--dry-run prints 10 records unless told how many; a rate is paced on the clock', async () => {
    const clock = new FakeRunClock(0);
    const result = await generate(['--dry-run', '--template-text', '{{random.number(5)}}', '--rate', '4'], clock);
    assert.equal(result.stdout.split('\n').filter(Boolean).length, 10);
    // Records 0..9 at 4 a second: the last is due at 2.25 s.
    assert.equal(clock.now(), 2250);
  });

  it('refuses bad invocations with exit 2', async () => {
    assert.match(await refusal(['--dry-run', '--data-profile', 'nope']), /--data-profile "nope" is not a profile: host-metrics, clickstream, iot-sensor, access-logs/);
    assert.match(await refusal(['--dry-run', '--data-profile', 'iot-sensor', '--batch', '501']), /--batch must be an integer from 1 to 500/);
    assert.match(await refusal(['--dry-run', '--data-profile', 'iot-sensor', '--seed', '4294967296']), /--seed must be an integer from 0 to 4294967295/);
    assert.match(await refusal(['--data-profile', 'iot-sensor']), /--stream NAME is required/);
    assert.match(await refusal(['--dry-run']), /say what to generate/);
    assert.match(await refusal(['--dry-run', '--data-profile', 'iot-sensor', '--template-text', 'x']), /exclude each other/);
    assert.match(await refusal(['task.json', '--rate', '10']), /--rate does not apply to a task file/);
    assert.match(await refusal(['--dry-run', '--template-text', 'plain', '--partition-key', 'id']), /record 1 is not JSON/);
    assert.match(await refusal(['--dry-run', '--data-profile', 'iot-sensor', '--partition-key', 'nope']), /record 1 has no field "nope" \(this profile's fields: deviceId, timestamp/);
  });
});
