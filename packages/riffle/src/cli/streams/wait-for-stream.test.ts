import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { CliError } from '../cli-error.js';
import { waitForStream } from './wait-for-stream.js';

/** A client whose DescribeStreamSummary answers the given statuses in turn ('gone': ResourceNotFoundException). */
function statusClient(statuses: string[]): KinesisClient & { calls: number } {
  const fake = {
    calls: 0,
    send: async () => {
      const status = statuses[Math.min(fake.calls++, statuses.length - 1)]!;
      if (status === 'gone') throw Object.assign(new Error('Stream s under account 000000000000 not found.'), { name: 'ResourceNotFoundException', $metadata: {} });
      return { StreamDescriptionSummary: { StreamName: 's', StreamStatus: status } };
    },
  };
  return fake as unknown as KinesisClient & { calls: number };
}

function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return { now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)), sleeps };
}

describe('waitForStream', () => {
  it('polls until ACTIVE with growing delays', async () => {
    const time = fakeTime();
    const client = statusClient(['CREATING', 'CREATING', 'CREATING', 'ACTIVE']);
    const summary = await waitForStream(client, { StreamName: 's' }, 'active', time);
    assert.equal(summary?.StreamStatus, 'ACTIVE');
    assert.deepEqual(time.sleeps, [100, 200, 400]);
  });

  it('waits for a deleted stream until it is not found', async () => {
    const time = fakeTime();
    assert.equal(await waitForStream(statusClient(['DELETING', 'gone']), { StreamName: 's' }, 'deleted', time), undefined);
  });

  it('gives up at the timeout with the status it last saw, exit 1', async () => {
    const time = fakeTime();
    await assert.rejects(waitForStream(statusClient(['CREATING']), { StreamName: 's' }, 'active', { ...time, timeoutMs: 10_000 }), (error: unknown) => error instanceof CliError && error.exitCode === 1 && /still CREATING after 10 s/.test(error.message));
    assert.ok(time.now() <= 10_000);
  });

  it('says so when the stream is not found while waiting for ACTIVE', async () => {
    await assert.rejects(waitForStream(statusClient(['gone']), { StreamName: 's' }, 'active', fakeTime()), /ResourceNotFoundException: Stream s under account/);
  });
});
