import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  killRiffle,
  kinesisClient,
  kinesisJson,
  readShard,
  seededRandom,
  startRiffle,
  testSeed,
  type RiffleProcess,
} from '@riffle/testkit';

// kill -9 while control-plane changes are on their way: CreateStream, DeleteStream, retention changes and tags,
// some with lifecycle delays so that streams are mid-transition. After each restart the metadata must be one the
// server could have reached: acknowledged changes kept, unacknowledged ones whole or not at all.

const ROUNDS = 20;
const TRANSITION_MS = 300;
const LIVE_STATUSES = ['CREATING', 'ACTIVE', 'UPDATING', 'DELETING'];
/**
 * A stream with 49 tags of 256 characters: each change to it journals ~15 KB, so its stream of tag changes
 * passes the 1 MiB at which the metadata journal is compacted into a snapshot every ~70 changes, and some kills
 * land in or near a compaction.
 */
const BIG = 'cp-big-tags';
const BIG_TAG_COUNT = 49;
const CHURN_CHANGES = 120;

type Presence = 'present' | 'absent' | 'either';

/** What the checks after a restart allow for one stream name. */
interface Expected {
  name: string;
  shards: number;
  presence: Presence;
  /** DeleteStream was acknowledged: the stream may finish deleting, never come back. */
  deleteAcknowledged: boolean;
  /** Seen gone after a restart: from then on it is never listed again (until created anew by the test). */
  confirmedGone: boolean;
  retention: number[];
  tags: Record<string, string>[];
  /** Acknowledged records of this incarnation, by sequence number; no other record may be read. */
  records: Map<string, string>;
}

interface Operation {
  describe: string;
  /** More about what happened than answered or not. */
  readonly describeOutcome?: string;
  /** `progress` is called after each acknowledged step of an operation made of many (the tag churn). */
  send(progress: () => void): Promise<{ status: number; body: any }>;
  /** Many steps: the kill waits for a chosen number of them rather than for the whole operation's answer. */
  readonly steps?: number;
  /** Applied to the model once the answer (or its absence) is known. */
  settle(acknowledged: boolean): void;
}

describe('crash recovery: kill -9 during control-plane changes', () => {
  const seed = testSeed();
  const random = seededRandom(seed);
  let dataDir: string;
  let riffle: RiffleProcess | undefined;
  const model = new Map<string, Expected>();

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'riffle-crash-control-'));
  });

  after(async () => {
    if (riffle) await killRiffle(riffle);
    await rm(dataDir, { recursive: true, force: true });
  });

  const call = (operation: string, input: unknown) => kinesisJson(riffle!.endpoint, operation, input);

  async function listStreams(): Promise<Map<string, string>> {
    const listed = new Map<string, string>();
    let input: Record<string, unknown> = { Limit: 100 };
    for (let page = 0; page < 20; page++) {
      const { status, body } = await call('ListStreams', input);
      assert.equal(status, 200, `ListStreams: ${JSON.stringify(body)}`);
      for (const summary of body.StreamSummaries) listed.set(summary.StreamName, summary.StreamStatus);
      assert.deepEqual([...listed.keys()].slice(-body.StreamNames.length), body.StreamNames, 'StreamNames and StreamSummaries agree');
      if (!body.HasMoreStreams) return listed;
      input = { Limit: 100, ExclusiveStartStreamName: body.StreamNames.at(-1) };
    }
    assert.fail('ListStreams did not end within 20 pages');
  }

  /** Right after a restart, before any transition has finished: every listed stream is valid. */
  async function checkRightAfterRestart(label: string): Promise<void> {
    const listed = await listStreams();
    for (const [name, status] of listed) {
      const expected = model.get(name);
      assert.ok(expected, `${label}: ${name} is listed, but no CreateStream ever named it`);
      assert.ok(LIVE_STATUSES.includes(status), `${label}: ${name} has status ${status}`);
      assert.ok(!expected.confirmedGone, `${label}: ${name} was deleted and seen gone, and is listed again (${status})`);
      if (expected.deleteAcknowledged) assert.equal(status, 'DELETING', `${label}: ${name}'s DeleteStream was acknowledged`);
      const { status: code, body } = await call('DescribeStreamSummary', { StreamName: name });
      if (code === 400 && body.__type === 'ResourceNotFoundException' && status === 'DELETING') continue;
      assert.equal(code, 200, `${label}: DescribeStreamSummary ${name}: ${JSON.stringify(body)}`);
      const summary = body.StreamDescriptionSummary;
      assert.equal(summary.StreamName, name);
      assert.equal(summary.StreamARN, `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`);
      assert.ok(LIVE_STATUSES.includes(summary.StreamStatus));
      assert.equal(summary.OpenShardCount, expected.shards, `${label}: ${name}'s shards`);
      assert.ok(expected.retention.includes(summary.RetentionPeriodHours), `${label}: ${name}'s retention ${summary.RetentionPeriodHours} is one of ${expected.retention}`);
    }
    for (const expected of model.values()) {
      if (expected.presence === 'present') assert.ok(listed.has(expected.name), `${label}: ${expected.name}'s CreateStream was acknowledged; it must be listed`);
    }
  }

  /** Once transitions are done: each stream is ACTIVE or gone as the model allows; the model learns which. */
  async function checkSettled(label: string, client: ReturnType<typeof kinesisClient>): Promise<void> {
    let listed = await listStreams();
    for (let poll = 0; poll < 200 && [...listed.values()].some((status) => status !== 'ACTIVE'); poll++) {
      await sleep(50);
      listed = await listStreams();
    }
    assert.deepEqual([...listed].filter(([, status]) => status !== 'ACTIVE'), [], `${label}: every transition finished after the restart`);

    for (const expected of model.values()) {
      const present = listed.has(expected.name);
      if (expected.presence === 'present') assert.ok(present, `${label}: ${expected.name} must be there`);
      if (expected.presence === 'absent') assert.ok(!present, `${label}: ${expected.name} must be gone`);
      if (!present) {
        expected.presence = 'absent';
        expected.confirmedGone = true;
        expected.records.clear();
        continue;
      }
      expected.presence = 'present';
      const summary = (await call('DescribeStreamSummary', { StreamName: expected.name })).body.StreamDescriptionSummary;
      assert.ok(expected.retention.includes(summary.RetentionPeriodHours), `${label}: ${expected.name}'s retention`);
      expected.retention = [summary.RetentionPeriodHours];
      const tagsBody = (await call('ListTagsForStream', { StreamName: expected.name })).body;
      const tags = Object.fromEntries(tagsBody.Tags.map((tag: { Key: string; Value: string }) => [tag.Key, tag.Value]));
      assert.ok(
        expected.tags.some((allowed) => JSON.stringify(sorted(allowed)) === JSON.stringify(sorted(tags))),
        `${label}: ${expected.name}'s tags ${JSON.stringify(tags)} are one of ${JSON.stringify(expected.tags)}`,
      );
      expected.tags = [tags];

      // Every put was answered before the control-plane burst: what is stored is exactly what was acknowledged.
      const stored = new Map<string, string>();
      for (let shard = 0; shard < expected.shards; shard++) {
        const shardId = `shardId-${String(shard).padStart(12, '0')}`;
        for (const record of await readShard(client, expected.name, shardId, { maxCalls: 50 })) {
          stored.set(record.SequenceNumber!, Buffer.from(record.Data!).toString('utf8'));
        }
      }
      assert.deepEqual(sortedEntries(stored), sortedEntries(expected.records), `${label}: ${expected.name} holds exactly its acknowledged records`);
    }

    // Files of streams that are gone are removed; each stream has at most one directory, its current incarnation's.
    const live = new Set(listed.keys());
    const directories = readdirSync(join(dataDir, 'streams')).filter((entry) => !entry.startsWith('.'));
    const owners = directories.map((entry) => {
      const key = decodeURIComponent(entry);
      return key.slice(0, key.lastIndexOf('@'));
    });
    assert.deepEqual(owners.filter((owner) => !live.has(owner)), [], `${label}: streams/ holds only live streams' files (${directories.join(', ')})`);
    assert.equal(new Set(owners).size, owners.length, `${label}: one directory per stream (${directories.join(', ')})`);
  }

  async function createBigTagsStream(): Promise<void> {
    assert.equal((await call('CreateStream', { StreamName: BIG, ShardCount: 1 })).status, 200);
    for (let poll = 0; poll < 200 && (await call('DescribeStreamSummary', { StreamName: BIG })).body.StreamDescriptionSummary.StreamStatus !== 'ACTIVE'; poll++) {
      await sleep(20);
    }
    const tags: Record<string, string> = {};
    for (let i = 0; i < BIG_TAG_COUNT; i++) tags[`big-${String(i).padStart(2, '0')}`.padEnd(128, 'k')] = `${i}-`.padEnd(256, 'v');
    const entries = Object.entries(tags);
    // AddTagsToStream takes at most 10 tags a call.
    for (let i = 0; i < entries.length; i += 10) {
      const answer = await call('AddTagsToStream', { StreamName: BIG, Tags: Object.fromEntries(entries.slice(i, i + 10)) });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    }
    model.set(BIG, { name: BIG, shards: 1, presence: 'present', deleteAcknowledged: false, confirmedGone: false, retention: [24], tags: [tags], records: new Map() });
  }

  /** A few acknowledged records into every stream, so that deletions have files to remove. */
  async function writeSome(round: number): Promise<void> {
    for (const expected of model.values()) {
      if (expected.presence !== 'present') continue;
      const payloads = Array.from({ length: 3 + random(8) }, (_, n) => JSON.stringify({ stream: expected.name, round, n, pad: 'x'.repeat(random(400)) }));
      const { status, body } = await call('PutRecords', {
        StreamName: expected.name,
        Records: payloads.map((payload, n) => ({ PartitionKey: `k${n}-${random(100)}`, Data: Buffer.from(payload).toString('base64') })),
      });
      assert.equal(status, 200, `PutRecords ${expected.name}: ${JSON.stringify(body)}`);
      body.Records.forEach((entry: { SequenceNumber?: string; ErrorCode?: string }, i: number) => {
        if (entry.ErrorCode === undefined) expected.records.set(entry.SequenceNumber!, payloads[i]!);
      });
    }
  }

  function planOperations(round: number): Operation[] {
    const operations: Operation[] = [];
    const creates = 1 + random(2);
    for (let i = 0; i < creates; i++) {
      const name = `cp-r${round}-${i}`;
      const shards = 1 + random(3);
      operations.push(createOperation(name, shards));
    }
    // A name deleted in an earlier round, created again: its old records must not come back with it.
    const gone = [...model.values()].filter((expected) => expected.confirmedGone);
    if (gone.length > 0 && random(2) === 0) operations.push(createOperation(gone[random(gone.length)]!.name, 1 + random(2)));

    const big = model.get(BIG);
    if (big?.presence === 'present') operations.push(churnOperation(big, round));
    const active = [...model.values()].filter((expected) => expected.presence === 'present' && expected.name !== BIG);
    for (const expected of shuffle(active)) {
      if (operations.length >= 7) break;
      const retention = expected.retention[0]!;
      const choice = random(5);
      if (choice === 0) operations.push(deleteOperation(expected));
      else if (choice === 1) operations.push(retentionOperation(expected, 'IncreaseStreamRetentionPeriod', retention + 24 * (1 + random(3))));
      else if (choice === 2 && retention > 24) operations.push(retentionOperation(expected, 'DecreaseStreamRetentionPeriod', 24 + random(retention - 24)));
      else if (choice === 3) operations.push(tagOperation(expected, round));
    }
    return operations;
  }

  function createOperation(name: string, shards: number): Operation {
    return {
      describe: `CreateStream ${name} (${shards} shards)`,
      send: () => call('CreateStream', { StreamName: name, ShardCount: shards }),
      settle(acknowledged) {
        model.set(name, {
          name,
          shards,
          presence: acknowledged ? 'present' : 'either',
          deleteAcknowledged: false,
          confirmedGone: false,
          retention: [24],
          tags: [{}],
          records: new Map(),
        });
      },
    };
  }

  function deleteOperation(expected: Expected): Operation {
    return {
      describe: `DeleteStream ${expected.name}`,
      send: () => call('DeleteStream', { StreamName: expected.name }),
      settle(acknowledged) {
        expected.presence = acknowledged ? 'absent' : 'either';
        expected.deleteAcknowledged = acknowledged;
      },
    };
  }

  function retentionOperation(expected: Expected, operation: string, hours: number): Operation {
    const before = expected.retention[0]!;
    return {
      describe: `${operation} ${expected.name} ${before} -> ${hours}`,
      send: () => call(operation, { StreamName: expected.name, RetentionPeriodHours: hours }),
      settle(acknowledged) {
        expected.retention = acknowledged ? [hours] : [before, hours];
      },
    };
  }

  function tagOperation(expected: Expected, round: number): Operation {
    const before = expected.tags[0]!;
    const added = { [`round-${round}`]: `v${random(1000)}`, owner: `r${round}` };
    return {
      describe: `AddTagsToStream ${expected.name} ${JSON.stringify(added)}`,
      send: () => call('AddTagsToStream', { StreamName: expected.name, Tags: added }),
      settle(acknowledged) {
        const afterTags = { ...before, ...added };
        expected.tags = acknowledged ? [afterTags] : [before, afterTags];
      },
    };
  }

  /** One after another, tag changes to the big stream until the kill (or CHURN_CHANGES of them). */
  function churnOperation(expected: Expected, round: number): Operation {
    const before = expected.tags[0]!;
    const tagsAt = (i: number) => ({ ...before, churn: `${round}-${i}-`.padEnd(256, 'c') });
    let acknowledged = 0;
    return {
      describe: `${CHURN_CHANGES} AddTagsToStream ${expected.name}`,
      steps: CHURN_CHANGES,
      async send(progress) {
        while (acknowledged < CHURN_CHANGES) {
          const answer = await call('AddTagsToStream', { StreamName: expected.name, Tags: { churn: tagsAt(acknowledged).churn } });
          if (answer.status !== 200) return answer;
          acknowledged++;
          progress();
        }
        return { status: 200, body: {} };
      },
      settle() {
        // The change after the last acknowledged one was sent, and may or may not have been made.
        const last = acknowledged === 0 ? before : tagsAt(acknowledged - 1);
        expected.tags = acknowledged === CHURN_CHANGES ? [last] : [last, tagsAt(acknowledged)];
      },
      get describeOutcome() {
        return `${acknowledged} acknowledged`;
      },
    } as Operation;
  }

  function shuffle<T>(items: T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = random(i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }

  /**
   * Sends every operation at once; kills the server once the chosen number of them are answered (0: a moment
   * after sending) and the tag churn has made its chosen number of changes.
   */
  async function burstAndKill(server: RiffleProcess, operations: Operation[]) {
    const single = operations.filter((operation) => operation.steps === undefined).length;
    const killAfterAnswers = random(single + 1);
    const killAfterSteps = random(1 + Math.max(0, ...operations.map((operation) => operation.steps ?? 0)));
    const delayMs = random(15);
    let answers = 0;
    let steps = 0;
    let waited = killAfterAnswers > 0;
    let killed = false;
    const maybeKill = () => {
      if (killed || !waited || answers < killAfterAnswers || steps < killAfterSteps) return;
      killed = true;
      server.child.kill('SIGKILL');
    };
    if (!waited) {
      setTimeout(() => {
        waited = true;
        maybeKill();
      }, delayMs);
    }
    const outcomes = await Promise.all(
      operations.map(async (operation) => {
        try {
          const answer = await operation.send(() => {
            steps++;
            maybeKill();
          });
          if (operation.steps === undefined) answers++;
          maybeKill();
          return answer;
        } catch {
          return undefined;
        }
      }),
    );
    waited = true;
    steps = Infinity;
    maybeKill();
    assert.equal(await server.exited, 'SIGKILL', 'the server ran until it was killed');
    riffle = undefined;
    const lines: string[] = [];
    operations.forEach((operation, i) => {
      const answer = outcomes[i];
      // Each operation names a different stream in a state that allows it: a refusal would be a bug.
      if (answer !== undefined) assert.equal(answer.status, 200, `${operation.describe}: ${JSON.stringify(answer.body)}`);
      operation.settle(answer !== undefined);
      lines.push(`${operation.describe}: ${operation.describeOutcome ?? (answer ? 'acknowledged' : 'no answer')}`);
    });
    return { killAfterAnswers, killAfterSteps, delayMs, lines };
  }

  async function start(delays: { create: number; delete: number; update: number }): Promise<RiffleProcess> {
    riffle = await startRiffle({
      dataDir,
      // Tiny segments: a stream's directory holds many files, so a kill can land while a deletion removes them.
      args: ['--segment-bytes', '1024', '--create-stream-ms', String(delays.create), '--delete-stream-ms', String(delays.delete), '--update-stream-ms', String(delays.update)],
    });
    return riffle;
  }

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: restart, check, change streams, kill -9`, async (t) => {
      if (round === 1) t.diagnostic(`seed ${seed} (RIFFLE_TEST_SEED=${seed} repeats this run)`);
      const delays = {
        create: random(3) === 0 ? 0 : TRANSITION_MS,
        delete: random(3) === 0 ? 0 : TRANSITION_MS,
        update: random(2) === 0 ? 0 : TRANSITION_MS,
      };
      const server = await start(delays);
      const client = kinesisClient(server.endpoint, { http: '1.1' });
      try {
        await checkRightAfterRestart(`round ${round}`);
        await checkSettled(`round ${round}`, client);
        if (round === 1) await createBigTagsStream();
        await writeSome(round);
        const operations = planOperations(round);
        const { killAfterAnswers, killAfterSteps, delayMs, lines } = await burstAndKill(server, operations);
        t.diagnostic(
          `${JSON.stringify(delays)}; kill after ${killAfterAnswers} answers${killAfterAnswers === 0 ? ` (+${delayMs} ms)` : ''} ` +
            `and ${killAfterSteps} churn changes: ${lines.join('; ')}`,
        );
      } finally {
        client.destroy();
        // A round that failed before its kill must not leave a second server on the data directory.
        if (riffle) await killRiffle(riffle);
        riffle = undefined;
      }
    });
  }

  it('after the last kill: the metadata is consistent and the server stops cleanly', async (t) => {
    const server = await start({ create: TRANSITION_MS, delete: TRANSITION_MS, update: TRANSITION_MS });
    const client = kinesisClient(server.endpoint, { http: '1.1' });
    try {
      await checkRightAfterRestart('final');
      await checkSettled('final', client);
      const snapshots = readdirSync(join(dataDir, 'metadata')).filter((name) => name.startsWith('snapshot-'));
      t.diagnostic(`metadata files at the end: ${readdirSync(join(dataDir, 'metadata')).join(', ')}`);
      assert.ok(snapshots.length > 0, 'the tag churn made the metadata journal compact at least once');
    } finally {
      client.destroy();
    }
    riffle = undefined;
    assert.equal(await server.stop(), 0);
  });
});

function sorted(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function sortedEntries(map: Map<string, string>): [string, string][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
