// Restart and memory benchmark for Riffle's file store: load ~2 GiB of 1 KiB records, read peak RSS while loaded
// and after reading, stop Riffle (SIGTERM; later SIGKILL with puts in flight), restart it on the same directory,
// time spawn -> first records read, and check that every acknowledged record came back, byte for byte.
// Usage: node bench/restart.mjs [--gb 2] [--shards 32] ... (--help), or node bench/run.mjs --restart [...]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from './client.mjs';
import { machineInfo } from './machine-info.mjs';
import { saveResults } from './report.mjs';
import { readCurrentRss, readPeakRss, startServer } from './server-process.mjs';
import { serverKinds } from './servers.mjs';
import { LatencySamples, megabytesPerSecond, perSecond } from './stats.mjs';
import { createActiveStream } from './stream-fixture.mjs';
import { verifyAcknowledgedRecordsStored } from './verify-stored.mjs';

export const restartUsage = `Usage: node bench/restart.mjs [options]      (or: node bench/run.mjs --restart [options])

Starts Riffle on its file store in a temp dir, loads records, measures peak RSS, stops and restarts it on the
same dir (SIGTERM, then SIGKILL with puts in flight) and checks every acknowledged record after each restart.

  --gb <n>              GiB of 1 KiB record payload to load (default 2 = 2,097,152 records; 0.2 for a quick run)
  --shards <n>          shards of the stream (default 32)
  --batch <n>           records per PutRecords (default 500)
  --concurrency <n>     PutRecords in flight while loading (default 4)
  --load-timeout-s <n>  stop loading after this long even if --gb is not reached (default 900)
  --read-shards <n>     shards read in full while the first process is loaded (default 4)
  --kill-after-s <n>    seconds of further puts before the SIGKILL (default 3)
  --fsync <mode>        Riffle's --fsync: always (default) or interval
  --drop-caches         before each restart, sync and write 3 to /proc/sys/vm/drop_caches (root; affects the
                        whole machine) so the restart reads from disk, not the page cache
  --keep                keep the data dir at the end (its path is printed)
  --no-save             print only; do not write bench/results/restart-*.json`;

const RECORD_BYTES = 1024;
const HEADER_BYTES = 12; // uint32 run tag, uint32 record id, uint32 id ^ tag: 12 bytes = 16 base64 characters, no padding
const HEADER_BASE64 = 16;
const POOL_SIZE = 64;
const READ_LIMIT = 10_000;
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;
const MAX_PROBLEMS = 20;
const MAX_LOAD_ERRORS = 20;
const GOALS = { firstRecordsMs: 2_000, peakRssMiB: 200, gib: 2 };

const log = (line) => process.stderr.write(`${line}\n`);

function readRestartOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      gb: { type: 'string', default: '2' },
      shards: { type: 'string', default: '32' },
      batch: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '4' },
      'load-timeout-s': { type: 'string', default: '900' },
      'read-shards': { type: 'string', default: '4' },
      'kill-after-s': { type: 'string', default: '3' },
      fsync: { type: 'string', default: 'always' },
      'drop-caches': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'no-save': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const number = (name, { min, integer = true }) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, not ${values[name]}`);
    }
    return value;
  };
  if (!['always', 'interval'].includes(values.fsync)) throw new Error(`--fsync must be always or interval, not ${values.fsync}`);
  const options = {
    help: values.help,
    gib: number('gb', { min: 0.001, integer: false }),
    shards: number('shards', { min: 1 }),
    batchSize: number('batch', { min: 1 }),
    concurrency: number('concurrency', { min: 1 }),
    loadTimeoutMs: number('load-timeout-s', { min: 1, integer: false }) * 1000,
    readShards: number('read-shards', { min: 0 }),
    killAfterMs: number('kill-after-s', { min: 0.1, integer: false }) * 1000,
    fsync: values.fsync,
    dropCaches: values['drop-caches'],
    keep: values.keep,
    save: !values['no-save'],
  };
  if (options.batchSize > 500) throw new Error('--batch must be at most 500 (the PutRecords limit)');
  if (options.shards > 254) throw new Error('--shards must be at most 254'); // shard index + 1 is kept in a byte per record
  options.records = Math.round((options.gib * 1024 ** 3) / RECORD_BYTES);
  return options;
}

// ---- records that check themselves ----

/**
 * Every record's bytes are a 12-byte header naming its id followed by 1012 bytes picked by the id from a pool, and
 * its partition key is derived from the id too, so a record read back can be checked against what was sent without
 * keeping 2 GiB of payloads in the harness.
 */
export function createRecordCodec() {
  const tag = randomBytes(4).readUInt32LE(0);
  const tails = Array.from({ length: POOL_SIZE }, () => randomBytes(RECORD_BYTES - HEADER_BYTES).toString('base64'));
  const header = Buffer.alloc(HEADER_BYTES);
  return {
    base64Length: HEADER_BASE64 + tails[0].length,
    data(id) {
      header.writeUInt32LE(tag, 0);
      header.writeUInt32LE(id, 4);
      header.writeUInt32LE((id ^ tag) >>> 0, 8);
      return header.toString('base64') + tails[id % POOL_SIZE];
    },
    partitionKey: (id) => `k${id.toString(36)}`,
    /** The record's id, or a string saying what is wrong with it. */
    check(record) {
      const data = record.Data;
      if (typeof data !== 'string' || data.length !== this.base64Length) return `wrong size (${data?.length} base64 characters)`;
      const head = Buffer.from(data.slice(0, HEADER_BASE64), 'base64');
      const id = head.readUInt32LE(4);
      if (head.readUInt32LE(0) !== tag || head.readUInt32LE(8) !== ((id ^ tag) >>> 0)) return 'header is not one this run wrote';
      if (data.slice(HEADER_BASE64) !== tails[id % POOL_SIZE]) return `bytes of record ${id} differ from what was written`;
      if (record.PartitionKey !== this.partitionKey(id)) return `record ${id} has partition key ${record.PartitionKey}`;
      return id;
    },
  };
}

/** What the harness knows was sent and acknowledged; indexed by record id. */
function createLedger(shardIds) {
  let shardOf = new Uint8Array(1 << 20); // shard index + 1 of an acknowledged record; 0 = not acknowledged
  return {
    shardIds,
    shardIndex: new Map(shardIds.map((id, index) => [id, index])),
    nextId: 0,
    ackedByShard: new Array(shardIds.length).fill(0),
    firstAcked: new Map(),
    lastAcked: new Map(),
    get shardOf() { return shardOf; },
    reserve(count) {
      const first = this.nextId;
      this.nextId += count;
      if (this.nextId > shardOf.length) {
        const grown = new Uint8Array(Math.max(this.nextId, shardOf.length * 2));
        grown.set(shardOf);
        shardOf = grown;
      }
      return first;
    },
    get acked() { return this.ackedByShard.reduce((sum, count) => sum + count, 0); },
  };
}

async function putBatch(client, streamName, ledger, codec, batchSize) {
  const first = ledger.reserve(batchSize);
  const entries = [];
  for (let id = first; id < first + batchSize; id++) entries.push(`{"PartitionKey":"${codec.partitionKey(id)}","Data":"${codec.data(id)}"}`);
  const response = await client.call('PutRecords', `{"StreamName":"${streamName}","Records":[${entries.join(',')}]}`);
  const answered = response.Records;
  if (!Array.isArray(answered) || answered.length !== batchSize) throw new Error(`PutRecords answered ${answered?.length} entries for ${batchSize}`);
  if ((response.FailedRecordCount ?? 0) !== 0) {
    const failed = answered.find((entry) => entry.ErrorCode);
    throw new Error(`PutRecords: ${response.FailedRecordCount} records failed (${failed?.ErrorCode}: ${failed?.ErrorMessage})`);
  }
  const shardIndexes = answered.map((entry) => {
    const index = ledger.shardIndex.get(entry.ShardId);
    if (index === undefined || typeof entry.SequenceNumber !== 'string') throw new Error(`malformed PutRecords entry ${JSON.stringify(entry).slice(0, 200)}`);
    return index;
  });
  answered.forEach((entry, offset) => {
    const id = first + offset;
    const index = shardIndexes[offset];
    ledger.shardOf[id] = index + 1;
    ledger.ackedByShard[index] += 1;
    const acknowledged = { sequenceNumber: entry.SequenceNumber, data: codec.data(id) };
    if (!ledger.firstAcked.has(entry.ShardId)) ledger.firstAcked.set(entry.ShardId, acknowledged);
    ledger.lastAcked.set(entry.ShardId, acknowledged);
  });
}

/** Closed loop of PutRecords until maxBatches, the time budget, too many errors, or shouldStop() (checked before each issue, and
 * when a request fails: a failure after shouldStop() turned true is counted apart, as expected). */
async function runLoad({ client, streamName, ledger, codec, settings, maxBatches, durationMs, shouldStop = () => false }) {
  const latencies = new LatencySamples();
  let issued = 0;
  let completed = 0;
  const errors = []; // failures while the server was meant to be up
  let stoppedErrors = 0; // failures once shouldStop() said the server is going away (the requests in flight at a kill)
  const startedAt = performance.now();
  const deadline = startedAt + durationMs;
  let lastCompletionAt = startedAt;
  let lastReport = startedAt;
  const worker = async () => {
    while (issued < maxBatches && performance.now() < deadline && errors.length < MAX_LOAD_ERRORS && !shouldStop()) {
      issued += 1;
      const sentAt = performance.now();
      try {
        await putBatch(client, streamName, ledger, codec, settings.batchSize);
        lastCompletionAt = performance.now();
        latencies.add(lastCompletionAt - sentAt);
        completed += 1;
        if (lastCompletionAt - lastReport > 10_000) {
          lastReport = lastCompletionAt;
          log(`  ${ledger.acked.toLocaleString('en-US')} records acknowledged, ${(perSecond(ledger.acked, lastCompletionAt - startedAt) ?? 0).toFixed(0)}/s`);
        }
      } catch (error) {
        if (shouldStop()) stoppedErrors += 1;
        else errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, worker));
  return { issued, completed, errors, stoppedErrors, elapsedMs: lastCompletionAt - startedAt, latencies };
}

// ---- reading back ----

/**
 * Reads every shard from TRIM_HORIZON to its end and checks each record: bytes and partition key as written, sequence
 * numbers increasing, no record twice, on the shard that acknowledged it. A record that was never acknowledged may
 * only be one whose PutRecords was in flight when the server was killed (allowUnacknowledged).
 */
async function readShards(client, streamName, ledger, codec, shardIds, { allowUnacknowledged = false, timeoutMs }) {
  const seen = new Uint8Array(ledger.nextId);
  const problems = [];
  let problemCount = 0;
  const problem = (text) => {
    problemCount += 1;
    if (problems.length < MAX_PROBLEMS) problems.push(text);
  };
  const latencies = new LatencySamples();
  const deadline = performance.now() + timeoutMs;
  const startedAt = performance.now();
  let records = 0;
  let unacknowledged = 0;
  let calls = 0;
  const ackedReadByShard = new Map();
  for (const shardId of shardIds) {
    const shardNumber = ledger.shardIndex.get(shardId) + 1;
    let { ShardIterator: iterator } = await client.call('GetShardIterator', JSON.stringify({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
    let previous = '';
    let ackedRead = 0;
    let emptyReads = 0;
    while (iterator && performance.now() < deadline) {
      const sentAt = performance.now();
      const response = await client.call('GetRecords', `{"ShardIterator":"${iterator}","Limit":${READ_LIMIT}}`);
      latencies.add(performance.now() - sentAt);
      calls += 1;
      const page = response.Records ?? [];
      for (const record of page) {
        const sequence = record.SequenceNumber;
        if (!(sequence.length > previous.length || (sequence.length === previous.length && sequence > previous))) {
          problem(`${shardId}: sequence number ${sequence} not after ${previous}`);
        }
        previous = sequence;
        const id = codec.check(record);
        if (typeof id === 'string') {
          problem(`${shardId}: ${sequence}: ${id}`);
          continue;
        }
        if (id >= ledger.nextId) {
          problem(`${shardId}: record ${id} was never sent`);
          continue;
        }
        if (seen[id]) problem(`${shardId}: record ${id} read twice`);
        seen[id] = 1;
        const ackedOn = ledger.shardOf[id];
        if (ackedOn === shardNumber) ackedRead += 1;
        else if (ackedOn !== 0) problem(`${shardId}: record ${id} was acknowledged on ${ledger.shardIds[ackedOn - 1]}`);
        else if (allowUnacknowledged) unacknowledged += 1;
        else problem(`${shardId}: record ${id} was never acknowledged`);
      }
      records += page.length;
      iterator = response.NextShardIterator;
      if (page.length > 0) emptyReads = 0;
      else if (response.MillisBehindLatest === 0 || ++emptyReads >= 5) break;
    }
    if (performance.now() >= deadline) problem(`read timed out at ${shardId}`);
    const expected = ledger.ackedByShard[shardNumber - 1];
    if (ackedRead !== expected) problem(`${shardId}: ${expected - ackedRead} of ${expected} acknowledged records missing`);
    ackedReadByShard.set(shardId, ackedRead);
  }
  const acknowledgedExpected = shardIds.reduce((sum, id) => sum + ledger.ackedByShard[ledger.shardIndex.get(id)], 0);
  const acknowledgedRead = [...ackedReadByShard.values()].reduce((sum, count) => sum + count, 0);
  return {
    records, acknowledgedExpected, acknowledgedRead, unacknowledged, calls,
    elapsedMs: performance.now() - startedAt, latencies, problems, problemCount,
  };
}

/** The first and the last acknowledged record of every shard, fetched by sequence number (AT_SEQUENCE_NUMBER). */
async function sampleBySequenceNumber(client, streamName, ledger) {
  return [
    ...await verifyAcknowledgedRecordsStored(client, streamName, ledger.firstAcked),
    ...await verifyAcknowledgedRecordsStored(client, streamName, ledger.lastAcked),
  ];
}

// ---- the process ----

async function diskBytes(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await diskBytes(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}

async function dropCaches() {
  try {
    execFileSync('sync');
    await writeFile('/proc/sys/vm/drop_caches', '3');
    return undefined;
  } catch (error) {
    return `could not drop the page cache: ${error.code ?? error.message}`;
  }
}

const mib = (bytes) => (bytes === undefined ? undefined : bytes / (1024 * 1024));

/** Restarts Riffle on dataDir and times spawn -> ListStreams answered -> GetShardIterator + GetRecords returning a record. */
async function restart(kind, settings, dataDir, streamName, shardId, codec) {
  const server = await startServer(kind, { store: 'file', fsync: settings.fsync, dataDir, readyTimeoutMs: READY_TIMEOUT_MS, stopTimeoutMs: STOP_TIMEOUT_MS, readyPollMs: 5 });
  const client = createClient({ port: server.port });
  const { ShardIterator: iterator } = await client.call('GetShardIterator', JSON.stringify({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
  const { Records: records } = await client.call('GetRecords', JSON.stringify({ ShardIterator: iterator, Limit: 100 }));
  const firstRecordsMs = performance.now() - server.spawnedAt;
  const problems = [];
  if (!records?.length) problems.push(`the first GetRecords on ${shardId} after the restart returned no records`);
  else if (typeof codec.check(records[0]) === 'string') problems.push(`the first record read after the restart is wrong: ${codec.check(records[0])}`);
  return { server, client, listStreamsMs: server.startupMs, firstRecordsMs, peakRssAfterFirstRead: await readPeakRss(server.pid), problems };
}

/** Riffle's recovery events (torn tails cut, damaged segments) from its log lines. */
function recoveryEvents(outputTail) {
  return outputTail.split('\n').filter((line) => /torn-tail|damaged|recover/i.test(line)).map((line) => line.slice(0, 300));
}

export async function runRestartBenchmark(argv) {
  let settings;
  try {
    settings = readRestartOptions(argv);
  } catch (error) {
    log(`${error.message}\n\n${restartUsage}`);
    return 2;
  }
  if (settings.help) {
    log(restartUsage);
    return 0;
  }
  const kind = serverKinds.riffle;
  const unavailable = kind.unavailable();
  if (unavailable) {
    log(`riffle: ${unavailable} (run npx tsc -b)`);
    return 1;
  }

  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'riffle-bench-restart-'));
  const codec = createRecordCodec();
  const streamName = `bench-restart-${process.pid}`;
  const maxBatches = Math.ceil(settings.records / settings.batchSize);
  const rows = [];
  const problems = [];
  const notes = [];
  const phases = {};
  const row = (phase, metric, value, unit, goal) => rows.push({ phase, metric, value, unit, ...(goal ? { goal } : {}) });
  let server;
  let client;
  log(`riffle restart bench: ${settings.gib} GiB = ${settings.records.toLocaleString('en-US')} records of 1 KiB, ${settings.shards} shards, PutRecords of ${settings.batchSize}, ${settings.concurrency} in flight, --fsync ${settings.fsync}, data dir ${dataDir}`);

  try {
    // 1. Fresh start, load, peak RSS, read some shards.
    server = await startServer(kind, { store: 'file', fsync: settings.fsync, dataDir, readyTimeoutMs: READY_TIMEOUT_MS, stopTimeoutMs: STOP_TIMEOUT_MS });
    client = createClient({ port: server.port });
    log(`[start] pid ${server.pid}, empty data dir, ready in ${server.startupMs.toFixed(0)} ms`);
    const shardIds = await createActiveStream(client, streamName, settings.shards);
    const ledger = createLedger(shardIds);

    const load = await runLoad({ client, streamName, ledger, codec, settings, maxBatches, durationMs: settings.loadTimeoutMs });
    const loadedRecords = ledger.acked;
    const storedBytes = await diskBytes(dataDir);
    const loadRss = { peak: await readPeakRss(server.pid), current: await readCurrentRss(server.pid) };
    for (const error of load.errors.slice(0, 3)) problems.push(`load: ${error.message}`);
    if (load.stoppedErrors > 0) problems.push(`load: ${load.stoppedErrors} PutRecords failed`);
    if (load.errors.length > 0) problems.push(`load: ${load.errors.length} PutRecords failed`);
    if (loadedRecords < settings.records) notes.push(`loaded ${loadedRecords.toLocaleString('en-US')} of ${settings.records.toLocaleString('en-US')} records within the ${settings.loadTimeoutMs / 1000} s load budget`);
    phases.load = { records: loadedRecords, requests: load.completed, elapsedMs: load.elapsedMs, dataDirBytes: storedBytes, peakRssBytes: loadRss.peak, rssBytes: loadRss.current,
      p50Ms: load.latencies.percentile(50), p99Ms: load.latencies.percentile(99) };
    log(`[load] ${loadedRecords.toLocaleString('en-US')} records in ${(load.elapsedMs / 1000).toFixed(1)} s, data dir ${mib(storedBytes).toFixed(0)} MiB, VmHWM ${mib(loadRss.peak)?.toFixed(0)} MiB`);
    row('load', 'records acknowledged', loadedRecords, 'records');
    row('load', 'payload GiB', (loadedRecords * RECORD_BYTES) / 1024 ** 3, 'GiB');
    row('load', 'data dir GiB', storedBytes / 1024 ** 3, 'GiB');
    row('load', 'records/s', perSecond(loadedRecords, load.elapsedMs), 'records/s');
    row('load', 'MB/s', megabytesPerSecond(loadedRecords * RECORD_BYTES, load.elapsedMs), 'MB/s');
    row('load', 'p50 / p99 ms per PutRecords', [load.latencies.percentile(50), load.latencies.percentile(99)], 'ms');
    row('load', 'peak RSS MiB (VmHWM)', mib(loadRss.peak), 'MiB', { below: GOALS.peakRssMiB });
    row('load', 'RSS MiB now (VmRSS)', mib(loadRss.current), 'MiB');

    const readShardIds = shardIds.slice(0, Math.min(settings.readShards, shardIds.length));
    if (readShardIds.length > 0) {
      const read = await readShards(client, streamName, ledger, codec, readShardIds, { timeoutMs: settings.loadTimeoutMs });
      const readPeak = await readPeakRss(server.pid);
      problems.push(...read.problems.map((text) => `read while loaded: ${text}`));
      phases.readWhileLoaded = { shards: readShardIds.length, records: read.records, elapsedMs: read.elapsedMs, calls: read.calls, peakRssBytes: readPeak, problemCount: read.problemCount };
      log(`[read] ${read.records.toLocaleString('en-US')} records of ${readShardIds.length} shards in ${(read.elapsedMs / 1000).toFixed(1)} s, VmHWM ${mib(readPeak)?.toFixed(0)} MiB`);
      const label = `read ${readShardIds.length} shards`;
      row(label, 'records read / acknowledged', [read.acknowledgedRead, read.acknowledgedExpected], 'records');
      row(label, 'records/s', perSecond(read.records, read.elapsedMs), 'records/s');
      row(label, 'peak RSS MiB (VmHWM)', mib(readPeak), 'MiB', { below: GOALS.peakRssMiB });
    }
    await client.close();
    client = undefined;

    // 2. SIGTERM, restart, time to first records, full check.
    const termStop = await server.stop({ signal: 'SIGTERM' });
    server = undefined;
    if (termStop.forced) problems.push(`SIGTERM: Riffle did not exit within ${STOP_TIMEOUT_MS} ms and was killed`);
    else if (termStop.code !== 0) problems.push(`SIGTERM: Riffle exited with code ${termStop.code} signal ${termStop.signal}`);
    log(`[SIGTERM] stopped in ${termStop.stopMs.toFixed(0)} ms (exit code ${termStop.code})`);
    phases.sigterm = { stopMs: termStop.stopMs, exitCode: termStop.code };
    phases.sigterm.restart = await restartAndCheck('SIGTERM restart', { allowUnacknowledged: false });
    phases.sigterm.restart.stopMs = termStop.stopMs;

    // 3. Puts in flight, SIGKILL, restart, full check (unacknowledged records of the in-flight batches may or may not be there).
    client = createClient({ port: server.port });
    let killed = false;
    const killLoad = runLoad({ client, streamName, ledger, codec, settings, maxBatches: Number.MAX_SAFE_INTEGER, durationMs: settings.killAfterMs * 10 + 60_000, shouldStop: () => killed });
    const ackedBeforeKillLoad = ledger.acked;
    await new Promise((resolve) => setTimeout(resolve, settings.killAfterMs));
    killed = true;
    const sentBeforeKill = ledger.nextId;
    const killStop = await server.stop({ signal: 'SIGKILL' });
    server = undefined;
    const killLoadResult = await killLoad;
    await client.close();
    client = undefined;
    const inFlight = killLoadResult.stoppedErrors;
    if (killLoadResult.completed === 0) problems.push('SIGKILL: no PutRecords completed before the kill');
    if (killLoadResult.errors.length > 0) problems.push(`SIGKILL: ${killLoadResult.errors.length} PutRecords failed before the kill; first: ${killLoadResult.errors[0].message}`);
    if (inFlight === 0) notes.push('SIGKILL: no PutRecords was in flight at the kill');
    log(`[SIGKILL] after ${(ledger.acked - ackedBeforeKillLoad).toLocaleString('en-US')} more records acknowledged, ${inFlight} PutRecords in flight (${(sentBeforeKill - ledger.acked).toLocaleString('en-US')} records sent and not acknowledged)`);
    phases.sigkill = { recordsAcknowledgedBeforeKill: ledger.acked - ackedBeforeKillLoad, putRecordsInFlight: inFlight, recordsSentUnacknowledged: sentBeforeKill - ledger.acked, exitSignal: killStop.signal };
    phases.sigkill.restart = await restartAndCheck('SIGKILL restart', { allowUnacknowledged: true });

    async function restartAndCheck(label, { allowUnacknowledged }) {
      if (settings.dropCaches) {
        const failed = await dropCaches();
        if (failed) notes.push(`${label}: ${failed}`);
      }
      const restarted = await restart(kind, settings, dataDir, streamName, shardIds[0], codec);
      server = restarted.server;
      client = restarted.client;
      problems.push(...restarted.problems.map((text) => `${label}: ${text}`));
      log(`[${label}] pid ${server.pid}: ListStreams answered ${restarted.listStreamsMs.toFixed(0)} ms after spawn, first records ${restarted.firstRecordsMs.toFixed(0)} ms, VmHWM ${mib(restarted.peakRssAfterFirstRead)?.toFixed(0)} MiB`);
      const read = await readShards(client, streamName, ledger, codec, shardIds, { allowUnacknowledged, timeoutMs: settings.loadTimeoutMs });
      const sampleProblems = await sampleBySequenceNumber(client, streamName, ledger);
      const peakAfterRead = await readPeakRss(server.pid);
      problems.push(...[...read.problems, ...sampleProblems].map((text) => `${label}: ${text}`));
      if (read.problemCount > read.problems.length) problems.push(`${label}: ${read.problemCount - read.problems.length} more read problems`);
      const events = recoveryEvents(server.outputTail());
      if (events.length > 0) notes.push(...events.slice(0, 5).map((line) => `${label}: Riffle logged ${line}`));
      log(`[${label}] read ${read.records.toLocaleString('en-US')} records (${read.acknowledgedRead.toLocaleString('en-US')} of ${read.acknowledgedExpected.toLocaleString('en-US')} acknowledged${allowUnacknowledged ? `, ${read.unacknowledged} unacknowledged from the batches in flight` : ''}) in ${(read.elapsedMs / 1000).toFixed(1)} s, ${read.problemCount + sampleProblems.length} problems, VmHWM ${mib(peakAfterRead)?.toFixed(0)} MiB`);
      row(label, 'spawn to ListStreams answered ms', restarted.listStreamsMs, 'ms');
      row(label, 'spawn to first records read ms', restarted.firstRecordsMs, 'ms', { below: GOALS.firstRecordsMs });
      row(label, 'peak RSS MiB after first read', mib(restarted.peakRssAfterFirstRead), 'MiB', { below: GOALS.peakRssMiB });
      row(label, 'acknowledged records read back', [read.acknowledgedRead, read.acknowledgedExpected], 'records');
      if (allowUnacknowledged) row(label, 'unacknowledged records present', [read.unacknowledged, ledger.nextId - ledger.acked], 'records');
      row(label, 'full read records/s', perSecond(read.records, read.elapsedMs), 'records/s');
      row(label, 'peak RSS MiB after full read', mib(peakAfterRead), 'MiB', { below: GOALS.peakRssMiB });
      return {
        listStreamsMs: restarted.listStreamsMs, firstRecordsMs: restarted.firstRecordsMs,
        peakRssAfterFirstReadBytes: restarted.peakRssAfterFirstRead, peakRssAfterFullReadBytes: peakAfterRead,
        recordsRead: read.records, acknowledgedRead: read.acknowledgedRead, acknowledgedExpected: read.acknowledgedExpected,
        unacknowledgedPresent: read.unacknowledged, readElapsedMs: read.elapsedMs, readCalls: read.calls,
        problemCount: read.problemCount + sampleProblems.length, recoveryEvents: events,
      };
    }
  } catch (error) {
    problems.push(`aborted: ${error.message.split('\n')[0]}`);
    log(`aborted: ${error.stack ?? error.message}`);
    if (server) notes.push(`Riffle output tail: ${server.outputTail().slice(-1500)}`);
  } finally {
    await client?.close();
    if (server) {
      const output = server.outputTail();
      const finalStop = await server.stop({ signal: 'SIGTERM' });
      log(`[stop] SIGTERM: stopped in ${finalStop.stopMs.toFixed(0)} ms (exit code ${finalStop.code}${finalStop.forced ? ', killed after the stop timeout' : ''})`);
      phases.finalStop = finalStop;
      if (finalStop.forced || finalStop.code !== 0) {
        problems.push(`final SIGTERM: Riffle ${finalStop.forced ? `did not exit within ${STOP_TIMEOUT_MS} ms and was killed` : `exited with code ${finalStop.code}`}`);
        notes.push(`Riffle output tail at the final stop: ${output.slice(-1500)}`);
      }
    }
    if (settings.keep) log(`data dir kept: ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  }

  const storedGiB = (phases.load?.records ?? 0) * RECORD_BYTES / 1024 ** 3;
  if (storedGiB < GOALS.gib * 0.99) notes.push(`the goals (first records < ${GOALS.firstRecordsMs} ms, peak RSS < ${GOALS.peakRssMiB} MiB) are stated for ${GOALS.gib} GB stored; this run stored ${storedGiB.toFixed(2)} GiB`);
  if (!settings.dropCaches) notes.push('restarts read through a warm page cache (the data was just written); --drop-caches measures a cold one');
  process.stdout.write(`\n${renderRestartTable(rows)}\n`);
  if (problems.length > 0) process.stdout.write(`\nProblems (the numbers above are not valid):\n${problems.map((line) => `  - ${line}`).join('\n')}\n`);
  if (notes.length > 0) process.stdout.write(`\nNotes:\n${notes.map((line) => `  - ${line}`).join('\n')}\n`);

  if (settings.save) {
    const finishedAt = new Date().toISOString();
    const written = await saveResults({
      schemaVersion: 1,
      benchmark: 'restart',
      startedAt,
      finishedAt,
      durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
      settings: { ...settings, recordBytes: RECORD_BYTES, riffleMain: process.env.BENCH_RIFFLE_MAIN },
      goals: GOALS,
      machine,
      phases,
      rows,
      problems,
      notes,
    }, { prefix: 'restart-' });
    log(`results saved: ${written.join(', ')}`);
  }
  return problems.length > 0 ? 1 : 0;
}

function formatRestartValue(value, unit) {
  if (Array.isArray(value)) return value.map((part) => formatRestartValue(part, unit)).join(unit === 'records' ? ' of ' : ' / ');
  if (value === undefined || Number.isNaN(value)) return '-';
  if (unit === 'records' || unit === 'records/s') return Math.round(value).toLocaleString('en-US');
  if (unit === 'GiB') return value.toFixed(2);
  if (unit === 'MiB' || unit === 'ms') return value < 10 ? value.toFixed(1) : value.toFixed(0);
  return value.toFixed(1);
}

export function renderRestartTable(rows) {
  const header = ['phase', 'metric', 'value', 'goal'];
  const body = rows.map((r) => {
    const goal = r.goal ? `< ${r.goal.below}: ${r.value === undefined ? '-' : r.value < r.goal.below ? 'met' : 'MISSED'}` : '';
    return [r.phase, r.metric, formatRestartValue(r.value, r.unit), goal];
  });
  const widths = header.map((title, index) => Math.max(title.length, ...body.map((cells) => cells[index].length)));
  const line = (cells) => `| ${cells.map((cell, index) => (index === 2 ? cell.padStart(widths[index]) : cell.padEnd(widths[index]))).join(' | ')} |`;
  const rule = `|${widths.map((width, index) => (index === 2 ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await runRestartBenchmark(process.argv.slice(2));
}
