import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamRecord } from '@riffle/storage';
import { FakeClock } from '../fake-clock.js';
import { ThroughputLimiter } from './throughput-limiter.js';

const MiB = 1024 * 1024;

function stream(streamKey: string, mode: 'PROVISIONED' | 'ON_DEMAND' = 'PROVISIONED'): StreamRecord {
  return { name: streamKey.split('@')[0]!, streamKey, mode } as StreamRecord;
}

describe('ThroughputLimiter', () => {
  it('keeps one budget per stream key and shard index', () => {
    const limiter = new ThroughputLimiter(new FakeClock(0));
    const a = stream('a@1');
    assert.equal(limiter.admitWrite(a, 0, MiB), true);
    assert.equal(limiter.admitWrite(a, 0, 1), false);
    assert.equal(limiter.admitWrite(a, 1, MiB), true, 'another shard');
    assert.equal(limiter.admitWrite(stream('a@2'), 0, MiB), true, 'the same name re-created is another stream');
  });

  it('forgets the shards of a deleted stream', () => {
    const limiter = new ThroughputLimiter(new FakeClock(0));
    const a = stream('a@1');
    limiter.admitWrite(a, 0, MiB);
    limiter.admitGetRecords(a, 3);
    limiter.admitWrite(stream('b@1'), 0, 1);
    assert.equal(limiter.trackedStreams, 2);
    limiter.forgetStream('a@1');
    assert.equal(limiter.trackedStreams, 1);
    assert.equal(limiter.admitWrite(a, 0, MiB), true, 'a fresh budget if it were written again');
  });

  it('applies a stream-wide write capacity on top of the shards when one is given', async () => {
    const clock = new FakeClock(0);
    let capacity = { bytesPerSecond: 2 * MiB, recordsPerSecond: 4000 };
    const limiter = new ThroughputLimiter(clock, {
      streamWriteCapacity: (s) => (s.mode === 'ON_DEMAND' ? capacity : undefined),
    });
    const od = stream('od@1', 'ON_DEMAND');
    assert.equal(limiter.admitWrite(od, 0, MiB), true);
    assert.equal(limiter.admitWrite(od, 1, MiB), true);
    assert.equal(limiter.admitWrite(od, 2, 1), false, 'shard 2 has budget, the stream has not');
    // A changed capacity (the stream scaled) starts a fresh budget.
    capacity = { bytesPerSecond: 4 * MiB, recordsPerSecond: 4000 };
    assert.equal(limiter.admitWrite(od, 2, MiB), true);
    assert.equal(limiter.admitWrite(stream('p@1'), 0, MiB), true, 'provisioned: shards only');
  });
});
