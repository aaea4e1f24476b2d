import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startNatsCluster, type NatsCluster } from '@riffle/testkit';
import { jetStreamNodeFault, riffleNodeFault } from './nats-fault-scenarios.js';

// Issue 9's fault tests, bounded: kill -9 a JetStream node during PutRecords load and bring it back; kill -9 a
// Riffle node while producers and a consumer use both. What is asserted (exactly once for records acknowledged
// after one attempt, at least once and at most once per attempt for retried calls) is spelled out in
// nats-fault-ledger.ts. A longer soak of the same scenarios: nats-faults.long.test.ts (`npm run test:long`).

describe('faults under load on a 3-node JetStream cluster', () => {
  let cluster: NatsCluster;
  before(async () => {
    cluster = await startNatsCluster({ nodes: 3 });
  });
  after(async () => {
    await cluster?.stop();
  });

  it('kill -9 of the JetStream node leading the most shard logs, during PutRecords through two Riffle nodes, loses and duplicates nothing acknowledged', { timeout: 150_000 }, async (t) => {
    const report = await jetStreamNodeFault(cluster, 'js-node-fault', { shards: 3, producers: 4, recordsPerCall: 12, callsBefore: 5, callsDuring: 20, callsAfter: 20 });
    t.diagnostic(JSON.stringify(report));
    assert.equal(report.rounds.length, 1);
    assert.ok(report.rounds[0]!.ledLogs > 0, 'the killed node led a shard log');
  });

  it('kill -9 of a Riffle node used by producers and a GetRecords consumer: they carry on on the other, the consumer sees each record once', { timeout: 150_000 }, async (t) => {
    const report = await riffleNodeFault(cluster, 'riffle-node-fault', { shards: 2, producers: 4, recordsPerCall: 12, callsBefore: 5, callsDuring: 20, callsAfter: 0 });
    t.diagnostic(JSON.stringify(report));
    assert.ok(report.consumed >= report.exactlyOnce);
  });
});
