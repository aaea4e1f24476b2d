import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openFileStorage } from '@riffle/storage';
import { Engine, FakeClock } from '@riffle/engine';
import { bytes, testConfig } from './engine-fixture.js';

const HOUR = 3_600_000;
const SHARD = 'shardId-000000000000';
const root = mkdtempSync(join(tmpdir(), 'riffle-engine-retention-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function fileEngine(name: string) {
  const clock = new FakeClock();
  const storage = await openFileStorage({ dataDir: join(root, name), now: () => clock.now(), segmentMs: HOUR });
  const engine = await Engine.open({ storage, clock, config: { ...testConfig, retentionCheckMs: 60_000 } });
  await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
  const stream = engine.describeStream('s');
  const key = `s@${stream.createdAt}`;
  const segments = () => readdirSync(storage.shardDirectory(key, SHARD)).filter((file) => file.endsWith('.log')).sort();
  return { clock, storage, engine, segments };
}

const texts = (records: readonly { data: Uint8Array }[]) => records.map((record) => new TextDecoder().decode(record.data));

describe('retention on the file store', () => {
  it('the background sweep deletes whole expired segments and TRIM_HORIZON moves with them', async () => {
    const { clock, storage, engine, segments } = await fileEngine('sweep');
    // One record an hour for 30 hours: every append after the first hour rolls a new segment (--segment-ms 1 h).
    for (let hour = 0; hour < 30; hour++) {
      await engine.putRecord('s', { data: bytes(`h${hour}`), partitionKey: 'k' });
      await clock.advance(HOUR);
      if (hour === 20) assert.equal(segments().length, 21, 'nothing has expired yet');
    }
    // 30 h and a minute after the first record: hours 0..6 are past the 24-hour retention; the sweep (every minute) ran.
    await clock.advance(60_000);
    const horizon = await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON');
    const kept = texts((await engine.getRecords(horizon)).records);
    assert.deepEqual(kept, Array.from({ length: 23 }, (_, i) => `h${i + 7}`));
    assert.equal(segments().length, 23);
    assert.equal(segments()[0], `${String(7).padStart(20, '0')}.log`);
    await engine.close();
    await storage.close();
  });

  it('DecreaseStreamRetentionPeriod deletes at once, and an increase after it brings nothing back', async () => {
    const { clock, storage, engine, segments } = await fileEngine('decrease');
    await engine.increaseRetention('s', 72);
    for (let hour = 0; hour < 40; hour++) {
      await engine.putRecord('s', { data: bytes(`h${hour}`), partitionKey: 'k' });
      await clock.advance(HOUR);
    }
    await clock.advance(60_000);
    assert.equal(segments().length, 40);
    await engine.decreaseRetention('s', 24);
    await engine.increaseRetention('s', 72);
    // 40 h and a minute after the first record, a 24-hour period keeps hours 17..39.
    assert.equal(segments().length, 23);
    const kept = texts((await engine.getRecords(await engine.getShardIterator('s', SHARD, 'TRIM_HORIZON'))).records);
    assert.deepEqual(kept, Array.from({ length: 23 }, (_, i) => `h${i + 17}`));
    await engine.close();
    await storage.close();
  });

  it('AT_TIMESTAMP and AT_SEQUENCE_NUMBER find records across segments after a restart', async () => {
    const { clock, storage, engine } = await fileEngine('lookups');
    const sequenceNumbers: string[] = [];
    const times: number[] = [];
    for (let hour = 0; hour < 10; hour++) {
      times.push(clock.now());
      sequenceNumbers.push((await engine.putRecord('s', { data: bytes(`h${hour}`), partitionKey: 'k' })).sequenceNumber);
      await clock.advance(HOUR);
    }
    await engine.close();
    await storage.close();

    const reopened = await openFileStorage({ dataDir: join(root, 'lookups'), now: () => clock.now(), segmentMs: HOUR });
    const again = await Engine.open({ storage: reopened, clock, config: testConfig });
    const atTime = await again.getShardIterator('s', SHARD, 'AT_TIMESTAMP', { timestamp: times[4]! });
    assert.deepEqual(texts((await again.getRecords(atTime, { limit: 2 })).records), ['h4', 'h5']);
    const atSequence = await again.getShardIterator('s', SHARD, 'AT_SEQUENCE_NUMBER', { startingSequenceNumber: sequenceNumbers[7]! });
    const [seventh] = (await again.getRecords(atSequence, { limit: 1 })).records;
    assert.equal(seventh!.sequenceNumber, sequenceNumbers[7]);
    const after = await again.getShardIterator('s', SHARD, 'AFTER_SEQUENCE_NUMBER', { startingSequenceNumber: sequenceNumbers[8]! });
    assert.deepEqual(texts((await again.getRecords(after)).records), ['h9']);
    await again.close();
    await reopened.close();
  });
});
