// Where does Riffle's time go? Starts Riffle under `node --cpu-prof`, drives one load over HTTP/1.1 (or h2),
// stops it with SIGTERM so the profile is written, and prints the functions with the most self time.
// Usage: node bench/profile.mjs [put-record|put-records|get-records] [--seconds 10] [--concurrency 64] [--h2]
//        [--serve='--store nats://127.0.0.1:4222 --nats-replicas 1'] (more `riffle serve` options, e.g. a JetStream store)
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from './client.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '8' }, concurrency: { type: 'string', default: '64' }, h2: { type: 'boolean', default: false }, top: { type: 'string', default: '25' }, serve: { type: 'string', default: '' } },
});
const scenario = positionals[0] ?? 'put-record';
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

const dir = await mkdtemp(join(tmpdir(), 'riffle-profile-'));
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, 'packages/riffle/dist/src/main.js', 'serve', '--port', '0',
  '--data-dir', dir, '--create-stream-ms', '0', '--throughput', 'off', '--control-plane-limits', 'off', '--log-level', 'info', ...values.serve.split(' ').filter(Boolean)], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffered += chunk;
    const match = /"event":"started"[^\n]*"port":(\d+)/.exec(buffered);
    if (match) resolve(Number(match[1]));
  });
  child.once('exit', (code) => reject(new Error(`riffle exited with ${code}`)));
});

const client = createClient({ port, transport: values.h2 ? 'h2' : 'http1' });
const data = Buffer.alloc(1024, 7).toString('base64');
const shards = scenario === 'put-records' ? 32 : 4;
await client.call('CreateStream', JSON.stringify({ StreamName: 'profile', ShardCount: shards }));

let calls = 0;
let records = 0;
if (scenario === 'get-records') {
  for (let i = 0; i < 200; i++) {
    const batch = Array.from({ length: 500 }, (_, j) => ({ PartitionKey: `k${i}-${j}`, Data: data }));
    await client.call('PutRecords', JSON.stringify({ StreamName: 'profile', Records: batch }));
  }
}
const deadline = Date.now() + seconds * 1000;
async function worker(id) {
  let iterator;
  for (let n = 0; Date.now() < deadline && n < 10_000_000; n++) {
    if (scenario === 'put-record') {
      await client.call('PutRecord', JSON.stringify({ StreamName: 'profile', PartitionKey: `p${id}-${n}`, Data: data }));
      records++;
    } else if (scenario === 'put-records') {
      const batch = Array.from({ length: 500 }, (_, j) => ({ PartitionKey: `p${id}-${n}-${j}`, Data: data }));
      await client.call('PutRecords', JSON.stringify({ StreamName: 'profile', Records: batch }));
      records += 500;
    } else {
      if (!iterator) {
        const shard = `shardId-00000000000${id % shards}`;
        iterator = (await client.call('GetShardIterator', JSON.stringify({ StreamName: 'profile', ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      }
      const page = await client.call('GetRecords', JSON.stringify({ ShardIterator: iterator, Limit: 10000 }));
      records += page.Records.length;
      iterator = page.Records.length === 0 ? undefined : page.NextShardIterator;
    }
    calls++;
  }
}
const workers = scenario === 'put-record' ? concurrency : scenario === 'put-records' ? 4 : shards;
await Promise.all(Array.from({ length: workers }, (_, id) => worker(id)));
await client.close();
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));

const profileFile = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
const profile = JSON.parse(await readFile(join(dir, profileFile), 'utf8'));
const interval = (profile.endTime - profile.startTime) / profile.samples.length / 1000;
const self = new Map();
let total = 0;
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(packages|node_modules)\//, '$1/').replace('file://', '')}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + node.hitCount);
  total += node.hitCount;
}
console.log(`${scenario}: ${calls} calls, ${records} records in ${seconds} s (${Math.round(records / seconds)} records/s) with the profiler on`);
console.log(`self time, top ${values.top} of ${total} samples (~${interval.toFixed(2)} ms each):`);
for (const [key, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`);
}
await rm(dir, { recursive: true, force: true });
