import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateStreamCommand, ListShardsCommand, waitUntilStreamExists, type KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient, readShard, riffleMain, startRiffle, type RiffleProcess } from '@riffle/testkit';

const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/generate/${name}`, import.meta.url));
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Read {
  data: string;
  key: string;
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe('riffle generate against a real server', () => {
  let riffle: RiffleProcess;
  let client: KinesisClient;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  /** The CLI as a process; the environment names no endpoint unless a test adds one (tasks carry their own). */
  const generate = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Result> => {
    try {
      const { stdout, stderr } = await run(process.execPath, [riffleMain, 'generate', ...args], { env: { ...env, ...extraEnv }, timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number') throw error;
      return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
  const atRiffle = () => ({ AWS_ENDPOINT_URL: riffle.endpoint });

  const createStream = async (StreamName: string, ShardCount = 1) => {
    await client.send(new CreateStreamCommand({ StreamName, ShardCount }));
    await waitUntilStreamExists({ client, maxWaitTime: 20 }, { StreamName });
  };

  /** Every record of the stream, shard by shard from TRIM_HORIZON, in each shard's order. */
  const readStream = async (StreamName: string): Promise<Read[]> => {
    const shards = (await client.send(new ListShardsCommand({ StreamName }))).Shards ?? [];
    const records: Read[] = [];
    for (const shard of shards) {
      for (const record of await readShard(client, StreamName, shard.ShardId!, { maxCalls: 50 })) {
        records.push({ data: Buffer.from(record.Data!).toString('utf8'), key: record.PartitionKey! });
      }
    }
    return records;
  };

  /** The lab's fixture task, pointed at this server through its own "endpoint" field. */
  const labTask = async (changes: (task: Record<string, any>) => void = () => undefined): Promise<string> => {
    const task = JSON.parse(await readFile(fixture('lab-metrics-task.json'), 'utf8')) as Record<string, any>;
    task.endpoint = riffle.endpoint;
    changes(task);
    const file = join(dir, `task-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, JSON.stringify(task, null, 2));
    return file;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-generate-'));
    env = { ...process.env, HOME: dir, AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') };
    for (const name of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_KINESIS', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete env[name];
    riffle = await startRiffle();
    client = kinesisClient(riffle.endpoint);
  });
  after(async () => {
    client?.destroy();
    await riffle?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the lab\'s example task: components × metrics × iterations records of the documented shape, read back', async () => {
    await createStream('lab-metrics');
    const before = Date.now();
    const result = await generate([await labTask()]);
    const after = Date.now();
    assert.equal(result.code, 0, result.stderr);
    const records = await readStream('lab-metrics');
    assert.equal(records.length, 2 * 2 * 2);
    const ranges: Record<string, [number, number]> = {
      'user-service/cpu': [10, 25], 'user-service/ram': [50, 75], 'order-service/cpu': [30, 45], 'order-service/ram': [60, 85],
    };
    const stamps = new Set<string>();
    for (const record of records) {
      const parsed = JSON.parse(record.data) as { componentName: string; metricName: string; unit: string; value: number; publicationTimestamp: string };
      assert.deepEqual(Object.keys(parsed), ['componentName', 'metricName', 'unit', 'value', 'publicationTimestamp']);
      assert.equal(record.key, parsed.componentName);
      assert.ok(['cpu', 'ram'].includes(parsed.metricName));
      assert.equal(parsed.unit, 'percent');
      const [min, max] = ranges[`${parsed.componentName}/${parsed.metricName}`]!;
      assert.ok(typeof parsed.value === 'number' && parsed.value >= min && parsed.value <= max, record.data);
      assert.match(parsed.publicationTimestamp, ISO_MS);
      const stamp = Date.parse(parsed.publicationTimestamp);
      assert.ok(stamp >= before - 1000 && stamp <= after + 1000, 'the wall clock, not the task\'s startTime of 2020');
      stamps.add(parsed.publicationTimestamp);
    }
    assert.equal(stamps.size, 2, 'one stamp a tick, two ticks');
    for (const component of ['user-service', 'order-service']) {
      assert.deepEqual(records.filter((r) => r.key === component).map((r) => (JSON.parse(r.data) as { metricName: string }).metricName), ['cpu', 'ram', 'cpu', 'ram']);
    }
    assert.match(result.stderr, /sent 8 records to lab-metrics \(0 failed\)/);
    assert.match(result.stderr, /from .*'s "endpoint"/, 'the task\'s endpoint was used');
    assert.match(result.stderr, /seed \d+ \(--seed \d+ repeats the data\)/);
  });

  it('repeats a synthetic task exactly with --seed: data and timestamps startTime + i * stepMillis', async () => {
    await createStream('synthetic-metrics');
    const task = fixture('synthetic-metrics-task.json');
    for (let i = 0; i < 2; i++) {
      const result = await generate([task, '--seed', '42'], atRiffle());
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /sent 10 records to synthetic-metrics/);
    }
    const records = await readStream('synthetic-metrics');
    assert.equal(records.length, 20);
    assert.deepEqual(records.slice(10), records.slice(0, 10), 'the second run repeats the first');
    const stamps = records.slice(0, 10).map((r) => (JSON.parse(r.data) as { publicationTimestamp: string }).publicationTimestamp);
    const expected = [0, 1, 2, 3, 4].map((i) => new Date(Date.parse('2021-09-09T12:15:00.000Z') + i * 60_000).toISOString());
    assert.deepEqual(stamps, expected.flatMap((stamp) => [stamp, stamp]));
    const printed = await generate([task, '--seed', '42', '--dry-run']);
    assert.deepEqual(printed.stdout.trimEnd().split('\n'), records.slice(0, 10).map((r) => r.data), '--dry-run prints what is sent');
    const other = await generate([task, '--seed', '43', '--dry-run']);
    assert.notDeepEqual(other.stdout, printed.stdout);
  });

  it('refuses a malformed task with its JSON path (exit 2) and the safety limit of realtime tasks', async () => {
    const bad = await generate([await labTask((t) => (t.timer.rateMillis = -5))]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /riffle generate: .*task-\w+\.json: timer\.rateMillis must be a positive number/);
    const big = await generate([await labTask((t) => (t.iterationsNumber = 30))]);
    assert.equal(big.code, 2);
    assert.match(big.stderr, /at most 100 records .* sends 120 .*--no-safety-limit/);
    const files = await generate([await labTask((t) => (t['@type'] = 'windowed-metrics'))]);
    assert.equal(files.code, 2);
    assert.match(files.stderr, /"windowed-metrics" writes CSV files .* not supported by riffle generate/);
  });

  it('sends each built-in profile\'s records, keyed by its natural field', async () => {
    const expected: Record<string, { key: string; check: (record: string) => void }> = {
      'host-metrics': { key: 'host', check: (r) => assert.deepEqual(Object.keys(JSON.parse(r)).slice(0, 3), ['host', 'timestamp', 'cpuPercent']) },
      clickstream: { key: 'userId', check: (r) => assert.deepEqual(Object.keys(JSON.parse(r)).slice(0, 5), ['eventId', 'timestamp', 'userId', 'sessionId', 'eventType']) },
      'iot-sensor': { key: 'deviceId', check: (r) => assert.deepEqual(Object.keys(JSON.parse(r)), ['deviceId', 'timestamp', 'temperature', 'humidity', 'battery', 'lat', 'lon']) },
      'access-logs': { key: 'host', check: (r) => assert.match(r, /^\S+ - \S+ \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "[A-Z]+ \S+ HTTP\/1\.1" \d{3} (\d+|-) "[^"]*" "[^"]*"$/) },
    };
    for (const [profile, { key, check }] of Object.entries(expected)) {
      const stream = `profile-${profile}`;
      await createStream(stream);
      const result = await generate(['--stream', stream, '--data-profile', profile, '--count', '20', '--seed', '3'], atRiffle());
      assert.equal(result.code, 0, result.stderr);
      const records = await readStream(stream);
      assert.equal(records.length, 20, profile);
      for (const record of records) {
        check(record.data);
        if (profile === 'access-logs') assert.equal(record.key, record.data.split(' ')[0]);
        else assert.equal(record.key, (JSON.parse(record.data) as Record<string, string>)[key]);
      }
    }
  });

  it('sends a KDG template\'s records (one line each, a newline after), keyed by a field with --partition-key', async () => {
    await createStream('templated');
    const result = await generate(['--stream', 'templated', '--template', fixture('order-template.json'), '--count', '15', '--partition-key', 'orderId'], atRiffle());
    assert.equal(result.code, 0, result.stderr);
    const records = await readStream('templated');
    assert.equal(records.length, 15);
    for (const record of records) {
      assert.ok(record.data.endsWith('}\n') && !record.data.slice(0, -1).includes('\n'), JSON.stringify(record.data));
      const order = JSON.parse(record.data) as { orderId: string; customer: string; email: string; amount: number; status: string; pet: string; at: string };
      assert.equal(record.key, order.orderId);
      assert.match(order.customer, /^[A-Z][a-z]+ [A-Z][a-z]+$/);
      assert.match(order.email, /@/);
      assert.ok(Number.isInteger(order.amount) && order.amount >= 10 && order.amount <= 150);
      assert.ok(['OK', 'FAIL', 'WARN'].includes(order.status) && ['cat', 'fish', 'dog'].includes(order.pet));
      assert.match(order.at, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
    const unknown = await generate(['--dry-run', '--template-text', '{"a":"{{name.fristName}}"}']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--template-text, line 1, column 7: unknown helper \{\{name\.fristName\}\}/);
  });

  it('paces constant, periodic and burst rates (counts and shapes, never durations)', async () => {
    await createStream('rated');
    const runs: [string[], number | undefined][] = [
      [['--rate', '200', '--count', '30'], 30],
      [['--rate', 'periodic:min=50,max=300,period=1s', '--count', '30'], 30],
      [['--rate', 'burst:base=20,peak=400,every=1s,for=200ms', '--duration', '300ms'], undefined],
    ];
    let total = 0;
    for (const [args, count] of runs) {
      const result = await generate(['--stream', 'rated', '--data-profile', 'iot-sensor', ...args], atRiffle());
      assert.equal(result.code, 0, result.stderr);
      const sent = Number(/sent (\d+) records to rated \(0 failed\)/.exec(result.stderr)?.[1]);
      if (count !== undefined) assert.equal(sent, count);
      else assert.ok(sent >= 1, result.stderr);
      total += sent;
    }
    const records = await readStream('rated');
    assert.equal(records.length, total);
    for (const record of records) assert.match(record.data, /^\{"deviceId":"sensor-\d{3}"/);
    const bad = await generate(['--dry-run', '--data-profile', 'iot-sensor', '--rate', 'burst:base=20']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--rate "burst:base=20": "peak" is missing/);
  });

  it('batches PutRecords (--batch 7: 50 records in 8 calls), every record arriving in its key\'s order', async () => {
    await createStream('batched', 2);
    const args = ['--data-profile', 'iot-sensor', '--count', '50', '--seed', '9', '--start-time', '2024-01-01T00:00:00Z', '--step', '1s'];
    const result = await generate(['--stream', 'batched', '--batch', '7', ...args], atRiffle());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /sent 50 records to batched \(0 failed\) .* 8 PutRecords calls/);
    const printed = (await generate(['--dry-run', ...args])).stdout.trimEnd().split('\n');
    const records = await readStream('batched');
    assert.equal(records.length, 50);
    const byKey = (lines: string[]) => {
      const groups = new Map<string, string[]>();
      for (const line of lines) {
        const key = (JSON.parse(line) as { deviceId: string }).deviceId;
        groups.set(key, [...(groups.get(key) ?? []), line]);
      }
      return groups;
    };
    assert.deepEqual(byKey(records.map((r) => r.data)), byKey(printed));
    for (const record of records) assert.equal(record.key, (JSON.parse(record.data) as { deviceId: string }).deviceId);
  });

  it('prints a progress line while it runs and a summary at the end, on stderr', async () => {
    const result = await generate(['--dry-run', '--data-profile', 'clickstream', '--count', '25', '--rate', '50', '--progress-interval', '100ms', '--seed', '1']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trimEnd().split('\n').length, 25);
    assert.match(result.stderr, /^riffle generate: \d+ records printed in [\d.]+ m?s \([\d.]+ records\/s\)$/m);
    assert.match(result.stderr, /^riffle generate: printed 25 records \(nothing sent\) in .*; seed 1 \(--seed 1 repeats them\)$/m);
  });
});
