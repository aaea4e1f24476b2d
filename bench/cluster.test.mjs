import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { describeStores, readCliOptions, storeFor } from './cli-options.mjs';
import { createClient } from './client.mjs';
import { NATS_MISSING, natsNodeConfig, natsUnavailable } from './nats-cluster.mjs';
import { describeRatios, ratioPairs } from './report.mjs';
import { roundRobin } from './round-robin.mjs';
import { selectTargets, targets, unavailableRequested } from './servers.mjs';

const names = (selected) => selected.map((target) => target.name);
const result = (name, server, store, extra = {}) => ({ target: name, server, transport: 'http1', store, cases: [], ...extra });

test('round robin hands out the items in turn and starts again after the last', () => {
  const next = roundRobin(['a', 'b']);
  assert.deepEqual([next(), next(), next(), next(), next()], ['a', 'b', 'a', 'b', 'a']);
  const only = roundRobin([7]);
  assert.deepEqual([only(), only()], [7, 7]);
  assert.throws(() => roundRobin([]), /at least one/);
});

test('a client given several ports sends its calls to each in turn and keeps one client per endpoint', async () => {
  const hits = [0, 0];
  const servers = await Promise.all(hits.map((_, index) => new Promise((resolve) => {
    const server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        hits[index] += 1;
        response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ node: index }));
      });
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const client = createClient({ ports: servers.map((server) => server.address().port) });
  try {
    const answers = [];
    for (let call = 0; call < 5; call++) answers.push((await client.call('ListStreams', '{}')).node);
    assert.deepEqual(answers, [0, 1, 0, 1, 0]);
    assert.deepEqual(hits, [3, 2]);
    assert.equal(client.endpoints.length, 2);
    assert.equal((await client.endpoints[1].call('ListStreams', '{}')).node, 1);
    const single = createClient({ port: servers[0].address().port });
    assert.equal(single.endpoints.length, 1);
    await single.close();
  } finally {
    await client.close();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
});

test('the default run has the cluster targets and the file-store single node; --only riffle does not pull in the cluster', () => {
  assert.deepEqual(names(selectTargets([])), names(targets));
  assert.ok(names(selectTargets([])).includes('riffle-nats') && names(selectTargets([])).includes('riffle-nats-2'));
  assert.deepEqual(names(selectTargets(['riffle'])), ['riffle', 'riffle-h2', 'riffle-file']);
  assert.deepEqual(names(selectTargets(['riffle', 'riffle-nats', 'riffle-nats-2'])), ['riffle', 'riffle-h2', 'riffle-file', 'riffle-nats', 'riffle-nats-2']);
  assert.deepEqual(names(selectTargets(['riffle-nats'])), ['riffle-nats']);
  assert.throws(() => selectTargets(['riffle-nats-3']), /unknown target\(s\) riffle-nats-3/);
});

test('riffle-file is left out when riffle itself runs on the file store, unless it is named', () => {
  assert.ok(!names(selectTargets([], { riffleStore: 'file' })).includes('riffle-file'));
  assert.deepEqual(names(selectTargets(['riffle'], { riffleStore: 'file' })), ['riffle', 'riffle-h2']);
  assert.deepEqual(names(selectTargets(['riffle-file'], { riffleStore: 'file' })), ['riffle-file']);
});

test('a target named in --only that cannot run is reported for the non-zero exit; a default run reports none', () => {
  const reason = (target) => (target.server.startsWith('riffle-nats') ? NATS_MISSING : undefined);
  const only = ['riffle', 'riffle-nats', 'riffle-nats-2'];
  assert.deepEqual(unavailableRequested(only, selectTargets(only), reason), [
    'riffle-nats: not comparable: nats-server not installed (apt-get install nats-server)',
    'riffle-nats-2: not comparable: nats-server not installed (apt-get install nats-server)',
  ]);
  assert.deepEqual(unavailableRequested(['riffle'], selectTargets(['riffle']), reason), []);
  assert.deepEqual(unavailableRequested([], selectTargets([]), reason), []);
});

test('nats-server is looked for at RIFFLE_NATS_SERVER', () => {
  const saved = process.env.RIFFLE_NATS_SERVER;
  try {
    process.env.RIFFLE_NATS_SERVER = '/nonexistent/nats-server';
    assert.equal(natsUnavailable(), NATS_MISSING);
    process.env.RIFFLE_NATS_SERVER = process.execPath; // any file that exists
    assert.equal(natsUnavailable(), undefined);
  } finally {
    if (saved === undefined) delete process.env.RIFFLE_NATS_SERVER;
    else process.env.RIFFLE_NATS_SERVER = saved;
  }
});

test('the cluster targets are compared with the single-node file store, the rest with the baseline', () => {
  const results = [
    result('riffle', 'riffle', 'memory'),
    result('riffle-h2', 'riffle', 'memory', { transport: 'h2' }),
    result('riffle-file', 'riffle', 'file'),
    result('riffle-nats', 'riffle-nats', 'nats', { comparedWith: 'file-store' }),
    result('riffle-nats-2', 'riffle-nats-2', 'nats', { comparedWith: 'file-store' }),
    result('kinesalite', 'kinesalite', 'memory'),
  ];
  const pairs = ratioPairs(results, 'riffle');
  assert.deepEqual(pairs.map((pair) => pair.name), ['riffle-file/riffle-nats', 'riffle-file/riffle-nats-2', 'riffle/kinesalite']);
  assert.equal(describeRatios(pairs), 'riffle-file against riffle-nats, riffle-nats-2; riffle against kinesalite');
});

test('without a file-store single node the cluster targets fall back to the baseline; riffle on file is the reference', () => {
  const cluster = result('riffle-nats', 'riffle-nats', 'nats', { comparedWith: 'file-store' });
  assert.deepEqual(ratioPairs([result('riffle', 'riffle', 'memory'), cluster], 'riffle').map((pair) => pair.name), ['riffle/riffle-nats']);
  assert.deepEqual(ratioPairs([result('riffle', 'riffle', 'file'), cluster], 'riffle').map((pair) => pair.name), ['riffle/riffle-nats']);
  assert.deepEqual(ratioPairs([cluster], 'riffle'), []);
});

test('the stores: riffle-file always on file, the cluster targets on JetStream, whatever --store says', () => {
  const options = readCliOptions(['--store', 'memory']);
  const byName = Object.fromEntries(targets.map((target) => [target.name, target]));
  assert.equal(storeFor(byName['riffle-file'], options), 'file');
  assert.equal(storeFor(byName['riffle-nats'], readCliOptions(['--store', 'file'])), 'nats');
  assert.equal(storeFor(byName.riffle, options), 'memory');
  assert.equal(
    describeStores([byName.riffle, byName['riffle-file'], byName['riffle-nats-2']], options),
    'riffle=memory, riffle-file=file (fsync always), riffle-nats-2=nats (3 JetStream nodes, R3)',
  );
});

test('a cluster node configuration routes to every node; a single node has no cluster block', () => {
  const node = { name: 'n1', clientPort: 4001, monitorPort: 8001, clusterPort: 6001, storeDir: '/tmp/x/n1' };
  const clustered = natsNodeConfig({ ...node, routePorts: [6001, 6002, 6003] });
  assert.match(clustered, /^listen: "127\.0\.0\.1:4001"$/m);
  assert.match(clustered, /^http: "127\.0\.0\.1:8001"$/m);
  assert.match(clustered, /jetstream \{ store_dir: "\/tmp\/x\/n1" \}/);
  assert.match(clustered, /listen: "127\.0\.0\.1:6001", routes: \["nats:\/\/127\.0\.0\.1:6001", "nats:\/\/127\.0\.0\.1:6002", "nats:\/\/127\.0\.0\.1:6003"\]/);
  assert.doesNotMatch(natsNodeConfig({ ...node, routePorts: [6001] }), /cluster/);
});
