import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, ListStreamsCommand, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';
import { decodeSequenceNumber } from '@riffle/engine';
import { killRiffle, kinesisClient, readShard, startRiffle, type NatsCluster, type RiffleProcess } from '@riffle/testkit';
import { isConnectionError, Ledger, produce, until, verifyShards, type Verdict } from './nats-fault-ledger.js';

// The two fault scenarios of issue 9 on a 3-node JetStream cluster, sized by the caller: the short run in `npm test`
// (nats-faults.test.ts) and the soak in `npm run test:long` (nats-faults.long.test.ts).

export interface ScenarioSize {
  readonly shards: number;
  readonly producers: number;
  readonly recordsPerCall: number;
  /** Calls acknowledged before the fault, per producer. */
  readonly callsBefore: number;
  /** Calls (all producers together) acknowledged while the node is down, and again after it is back. */
  readonly callsDuring: number;
  readonly callsAfter: number;
}

/** Every shard of the stream, read through `client` from TRIM_HORIZON to the end. */
export async function readStream(client: KinesisClient, streamName: string): Promise<Map<string, _Record[]>> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  const shards = new Map<string, _Record[]>();
  for (const shard of Shards) shards.set(shard.ShardId!, await readShard(client, streamName, shard.ShardId!, { maxCalls: 2_000 }));
  return shards;
}

async function createStream(through: KinesisClient, others: KinesisClient[], streamName: string, shards: number): Promise<void> {
  await through.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shards }));
  for (const other of others) {
    await until(`${streamName} seen by every node`, async () => ((await other.send(new ListStreamsCommand({}))).StreamNames ?? []).includes(streamName));
  }
}

/** The JetStream streams of shard logs (riffle-log-*) and their leaders, once every one of them has a leader. */
async function logLeaders(cluster: NatsCluster, expected: number): Promise<Map<string, string>> {
  let leaders = new Map<string, string>();
  await until(`a leader for each of ${expected} shard logs`, async () => {
    const all = await cluster.leaders();
    leaders = new Map([...all.streams].filter(([name]) => name.startsWith('riffle-log-')));
    return leaders.size >= expected;
  });
  return leaders;
}

export type Victim = 'log-leader' | 'meta-leader';

export interface JetStreamFaultReport extends Verdict {
  /** Per round: the node killed, the shard logs it led, the calls acknowledged while it was down. */
  /** restartMs: how long the restarted node took to be current (a diagnostic, never asserted). */
  readonly rounds: { readonly killed: string; readonly ledLogs: number; readonly meta: boolean; readonly callsDuring: number; readonly restartMs: number }[];
}

/**
 * Two Riffle nodes over the cluster; producers alternate between them while, round by round, a JetStream node is
 * killed -9 and restarted: the one leading the most shard logs (the meta leader on a tie), or the meta leader. The
 * SDK retries (InternalFailure while a log elects a new leader); acknowledged calls are counted in each phase.
 */
export async function jetStreamNodeFault(cluster: NatsCluster, streamName: string, size: ScenarioSize, victims: readonly Victim[] = ['log-leader']): Promise<JetStreamFaultReport> {
  const args = ['--store', cluster.servers.join(',')];
  const nodes: RiffleProcess[] = [];
  const clients: KinesisClient[] = [];
  const ledger = new Ledger();
  let stop = false;
  let producers: Promise<void>[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      nodes.push(await startRiffle({ args }));
      clients.push(kinesisClient(nodes[i]!.endpoint, { maxAttempts: 10 }));
    }
    await createStream(clients[0]!, [clients[1]!], streamName, size.shards);

    producers = Array.from({ length: size.producers }, (_, id) =>
      produce({
        id,
        streamName,
        ledger,
        keys: 3,
        recordsPerCall: size.recordsPerCall,
        maxCalls: 100_000,
        stopped: () => stop,
        client: (call) => clients[(id + call) % 2]!,
        sdkAttempts: 10,
        requestsPerCall: 1,
        retry: () => false,
      }),
    );
    await until('calls acknowledged before the fault', () =>
      Array.from({ length: size.producers }, (_, id) => ledger.ackedCallsOf(id)).every((n) => n >= size.callsBefore),
    );

    const rounds: JetStreamFaultReport['rounds'] = [];
    for (const [round, victim] of victims.entries()) {
      // The log streams are created as the first writes arrive: choose the victim once every one has a leader.
      const leaders = await logLeaders(cluster, size.shards);
      let meta: string | undefined;
      await until('a meta leader', async () => (meta = (await cluster.leaders()).meta) !== undefined);
      const led = new Map<string, number>();
      for (const leader of leaders.values()) led.set(leader, (led.get(leader) ?? 0) + 1);
      const killed = victim === 'meta-leader' ? meta! : [...led].sort((x, y) => y[1] - x[1] || Number(y[0] === meta) - Number(x[0] === meta))[0]![0];
      const ledByKilled = [...leaders].filter(([, leader]) => leader === killed).map(([name]) => name);

      const down = `down-${round}`;
      ledger.phase = down;
      await cluster.kill(cluster.indexOf(killed));
      // The failure really moves leaders: each group the node led gets another (bounded wait, not a timing assertion).
      await until(`new leaders for what ${killed} led`, async () => {
        const now = await cluster.leaders();
        const logsMoved = ledByKilled.every((name) => now.streams.has(name) && now.streams.get(name) !== killed);
        return logsMoved && now.meta !== undefined && (killed !== meta || now.meta !== killed);
      });
      await until(`${size.callsDuring} calls acknowledged while ${killed} is down`, () => ledger.ackedCallsIn(down) >= size.callsDuring, 1_200);
      const callsDuring = ledger.ackedCallsIn(down);
      // Writes continued: calls begun and answered with acknowledgements after the kill and before the restart.
      assert.ok(callsDuring > 0, 'writes acknowledged while a JetStream node was down');
      assert.ok(ledByKilled.length > 0 || killed === meta, 'the killed node led something');

      ledger.phase = `restarting-${round}`;
      const restarting = Date.now();
      await cluster.restart(cluster.indexOf(killed));
      const restartMs = Date.now() - restarting;
      const back = `after-${round}`;
      ledger.phase = back;
      await until(`${size.callsAfter} calls acknowledged after the restart`, () => ledger.ackedCallsIn(back) >= size.callsAfter, 1_200);
      rounds.push({ killed, ledLogs: ledByKilled.length, meta: killed === meta, callsDuring, restartMs });
    }
    stop = true;
    await Promise.all(producers);

    // Read back through both nodes: the same records, and what the producers were told.
    const throughA = await readStream(clients[0]!, streamName);
    const verdict = verifyShards(ledger, throughA);
    assert.deepEqual(summary(await readStream(clients[1]!, streamName)), summary(throughA), 'both nodes read the same log');
    assert.ok(verdict.exactlyOnce > 0, 'some records acknowledged after one attempt');
    return { ...verdict, rounds };
  } finally {
    stop = true;
    await Promise.allSettled(producers);
    for (const client of clients) client.destroy();
    for (const node of nodes) await node.stop();
  }
}

function offsetOf(record: _Record): string {
  return String(decodeSequenceNumber(record.SequenceNumber!)?.counter);
}

function summary(shards: ReadonlyMap<string, readonly _Record[]>): [string, string[]][] {
  return [...shards].map(([shardId, records]) => [shardId, records.map((record) => `${record.SequenceNumber} ${Buffer.from(record.Data!).toString()}`)]);
}

export interface RiffleFaultReport extends Verdict {
  readonly consumed: number;
  readonly switchedProducers: number;
}

/**
 * Producers and a GetRecords consumer (one iterator chain per shard) use both Riffle nodes; node A is killed -9.
 * Producers switch to B on a connection error (as behind a load balancer) and try the call again there; the
 * consumer carries on on B with the iterator of the call that failed. Afterwards A is started again and serves
 * every record.
 */
export async function riffleNodeFault(cluster: NatsCluster, streamName: string, size: ScenarioSize): Promise<RiffleFaultReport> {
  const args = ['--store', cluster.servers.join(',')];
  const nodes: RiffleProcess[] = [];
  // maxAttempts 1: the test retries itself, across nodes, and counts every request.
  const clients: KinesisClient[] = [];
  const ledger = new Ledger();
  const alive = [true, true];
  let stop = false;
  let producersDone = false;
  let switchedProducers = 0;
  let producers: Promise<void>[] = [];
  let consumers: Promise<_Record[]>[] = [];
  let restarted: RiffleProcess | undefined;
  const extraClients: KinesisClient[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      nodes.push(await startRiffle({ args }));
      clients.push(kinesisClient(nodes[i]!.endpoint, { maxAttempts: 1 }));
    }
    await createStream(clients[0]!, [clients[1]!], streamName, size.shards);
    const shardIds = ((await clients[0]!.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? []).map((shard) => shard.ShardId!);
    assert.equal(shardIds.length, size.shards);

    // A producer's node: its own to begin with, the surviving one once a request met a dead connection.
    const home = Array.from({ length: size.producers }, (_, id) => id % 2);
    producers = Array.from({ length: size.producers }, (_, id) =>
      produce({
        id,
        streamName,
        ledger,
        keys: 3,
        recordsPerCall: size.recordsPerCall,
        maxCalls: 100_000,
        stopped: () => stop,
        client: () => clients[home[id]!]!,
        sdkAttempts: 1,
        requestsPerCall: 20,
        retry: (error) => {
          if (isConnectionError(error) && !alive[home[id]!]) {
            home[id] = 1 - home[id]!;
            switchedProducers++;
          }
          return true;
        },
      }),
    );

    // The consumer: per shard a chain of GetRecords from TRIM_HORIZON, on A until A is gone, then on B.
    let consumerNode = 0;
    const consumedNow = () => consumed.reduce((sum, records) => sum + records.length, 0);
    const consumed: _Record[][] = shardIds.map(() => []);
    // Per shard, what each page was: for the failure message only (which node answered, which offsets came).
    const pages: string[][] = shardIds.map(() => []);
    consumers = shardIds.map(async (shardId, n) => {
      const seen = consumed[n]!;
      let iterator: string | undefined;
      for (let call = 0; call < 20_000; call++) {
        const client = clients[consumerNode]!;
        try {
          iterator ??= (await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
          // Read before the check, so the last page after the producers stopped is not missed.
          const finished = producersDone;
          const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1_000 }));
          const got = page.Records ?? [];
          if (got.length > 0) pages[n]!.push(`node ${consumerNode}: ${got.length} records, offsets ${offsetOf(got[0]!)}..${offsetOf(got[got.length - 1]!)} at ${seen.length}`);
          seen.push(...got);
          iterator = page.NextShardIterator;
          if ((page.Records ?? []).length === 0) {
            if (finished && page.MillisBehindLatest === 0) return seen;
            await sleep(50);
          }
        } catch (error) {
          if (isConnectionError(error) && !alive[consumerNode]) consumerNode = 1;
          else if (!isConnectionError(error) && (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 500) throw error;
          await sleep(50);
        }
      }
      throw new Error(`${shardId}: the consumer did not reach the end`);
    });

    await until('calls acknowledged and consumed before the kill', () =>
      consumedNow() > 0 && Array.from({ length: size.producers }, (_, id) => ledger.ackedCallsOf(id)).every((n) => n >= size.callsBefore),
    );
    ledger.phase = 'down';
    alive[0] = false;
    await killRiffle(nodes[0]!);
    const consumedAtKill = consumedNow();
    await until(`${size.callsDuring} calls acknowledged after A was killed`, () => ledger.ackedCallsIn('down') >= size.callsDuring, 1_200);
    await until('the consumer carried on on B', () => consumedNow() > consumedAtKill, 1_200);
    stop = true;
    await Promise.all(producers);
    producersDone = true;
    const seen = await Promise.all(consumers);

    assert.ok(switchedProducers > 0, 'producers of A moved to B');
    assert.equal(consumerNode, 1, 'the consumer moved to B');
    const store = await readStream(clients[1]!, streamName);
    const verdict = verifyShards(ledger, store);
    // The consumer's chains saw the log exactly as stored: each record once, in order, none missed.
    const consumerView = summary(new Map(shardIds.map((shardId, n) => [shardId, seen[n]!])));
    const storeView = summary(store);
    const diverged = consumerView.map(([, lines], n) => lines.findIndex((line, i) => line !== storeView[n]![1][i]));
    const pagesAt = diverged.map((at, n) => {
      if (at < 0) return [];
      const j = pages[n]!.findLastIndex((page) => Number(page.split(' at ')[1]) <= at);
      return [`first difference at ${at}`, ...pages[n]!.slice(Math.max(0, j - 2), j + 3)];
    });
    assert.deepEqual(consumerView, storeView, `the consumer saw every stored record once, in order; its pages near the first difference: ${JSON.stringify(pagesAt)}`);

    // A comes back (same data directory, as a restarted process would) and serves everything.
    restarted = await startRiffle({ args, dataDir: nodes[0]!.dataDir });
    const again = kinesisClient(restarted.endpoint, { maxAttempts: 10 });
    extraClients.push(again);
    assert.deepEqual(summary(await readStream(again, streamName)), summary(store), 'the restarted node reads every record');
    return { ...verdict, consumed: seen.reduce((sum, records) => sum + records.length, 0), switchedProducers };
  } finally {
    stop = true;
    producersDone = true;
    await Promise.allSettled([...producers, ...consumers]);
    for (const client of [...clients, ...extraClients]) client.destroy();
    await restarted?.stop();
    for (const node of nodes) await node.stop();
  }
}
