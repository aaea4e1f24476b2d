import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CliError } from '../cli-error.js';
import { activeConsumer, type ConsumerCalls, type ConsumerState } from './fan-out-consumer.js';

const awsError = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });
const ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/s/consumer/c:1';

/** Fake consumer calls: describe answers the scripted states in turn (the last one repeats). */
function scripted(states: (ConsumerState | undefined)[], register: () => Promise<ConsumerState> = async () => ({ arn: ARN, status: 'CREATING' })): ConsumerCalls & { log: string[] } {
  const log: string[] = [];
  let n = 0;
  return {
    log,
    async describe() {
      log.push('describe');
      return states[Math.min(n++, states.length - 1)];
    },
    async register() {
      log.push('register');
      return register();
    },
    async deregister() {
      log.push('deregister');
    },
  };
}

function waitOptions(lines: string[] = []) {
  let now = 0;
  const sleeps: number[] = [];
  return { options: { signal: new AbortController().signal, sleep: async (ms: number) => { sleeps.push(ms); now += ms; }, now: () => now, report: (line: string) => lines.push(line) }, sleeps };
}

describe('activeConsumer', () => {
  it('registers a consumer that is not registered and waits, with growing pauses, until it is ACTIVE', async () => {
    const lines: string[] = [];
    const calls = scripted([undefined, { arn: ARN, status: 'CREATING' }, { arn: ARN, status: 'CREATING' }, { arn: ARN, status: 'ACTIVE' }]);
    const { options, sleeps } = waitOptions(lines);
    const found = await activeConsumer('c', calls, options);
    assert.deepEqual(found, { consumer: { name: 'c', arn: ARN, registered: true }, active: true });
    assert.deepEqual(calls.log, ['describe', 'register', 'describe', 'describe', 'describe']);
    assert.deepEqual(sleeps, [200, 400, 800]);
    assert.deepEqual(lines, [`registered consumer c (${ARN})`, 'waiting for consumer c to be ACTIVE (it is CREATING)', 'consumer c is ACTIVE']);
  });

  it('uses an ACTIVE consumer as it is, saying nothing', async () => {
    const lines: string[] = [];
    const calls = scripted([{ arn: ARN, status: 'ACTIVE' }]);
    const found = await activeConsumer('c', calls, waitOptions(lines).options);
    assert.deepEqual(found.consumer, { name: 'c', arn: ARN, registered: false });
    assert.deepEqual([calls.log, lines], [['describe'], []]);
  });

  it('one registered by someone else meanwhile (ResourceInUseException on registering) is used', async () => {
    const calls = scripted([undefined, { arn: ARN, status: 'ACTIVE' }], async () => { throw awsError('ResourceInUseException'); });
    const found = await activeConsumer('c', calls, waitOptions().options);
    assert.deepEqual(found.consumer, { name: 'c', arn: ARN, registered: false });
  });

  it('one being deregistered is waited out and registered again', async () => {
    const calls = scripted([{ arn: ARN, status: 'DELETING' }, undefined, { arn: `${ARN}2`, status: 'ACTIVE' }], async () => ({ arn: `${ARN}2`, status: 'CREATING' }));
    const found = await activeConsumer('c', calls, waitOptions().options);
    assert.deepEqual(found.consumer, { name: 'c', arn: `${ARN}2`, registered: true });
    assert.deepEqual(calls.log, ['describe', 'describe', 'register', 'describe']);
  });

  it('the wait is bounded: a consumer still CREATING after waitLimitMs is an error (exit 1)', async () => {
    const calls = scripted([{ arn: ARN, status: 'CREATING' }]);
    await assert.rejects(
      activeConsumer('c', calls, { ...waitOptions().options, waitLimitMs: 5_000 }),
      (error: unknown) => error instanceof CliError && error.exitCode === 1 && /consumer c is still CREATING after 5 s/.test(error.message),
    );
  });

  it('stopped (Ctrl-C) while waiting: not active, but still says that tail registered it', async () => {
    const stop = new AbortController();
    const calls = scripted([undefined, { arn: ARN, status: 'CREATING' }]);
    const options = { ...waitOptions().options, signal: stop.signal, sleep: async () => stop.abort() };
    assert.deepEqual(await activeConsumer('c', calls, options), { consumer: { name: 'c', arn: ARN, registered: true }, active: false });
  });
});
