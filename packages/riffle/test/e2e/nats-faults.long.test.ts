import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startNatsCluster, type NatsCluster } from '@riffle/testkit';
import { jetStreamNodeFault, riffleNodeFault } from './nats-fault-scenarios.js';

// The soak of nats-faults.test.ts, for `npm run test:long` (not in `npm test`): more shards, producers and calls,
// three JetStream kills in a row (a log leader, the meta leader, a log leader again), and three Riffle kills.

describe('faults under load on a 3-node JetStream cluster, long', () => {
  let cluster: NatsCluster;
  before(async () => {
    cluster = await startNatsCluster({ nodes: 3, readyTimeoutMs: 300_000 });
  });
  after(async () => {
    await cluster?.stop();
  });

  it('three JetStream node kills in a row during PutRecords through two Riffle nodes', { timeout: 600_000 }, async (t) => {
    const report = await jetStreamNodeFault(
      cluster,
      'js-node-soak',
      { shards: 4, producers: 6, recordsPerCall: 25, callsBefore: 10, callsDuring: 60, callsAfter: 60 },
      ['log-leader', 'meta-leader', 'log-leader'],
    );
    t.diagnostic(JSON.stringify(report));
    assert.equal(report.rounds.length, 3);
    assert.ok(report.rounds.some((round) => round.meta), 'one round killed the meta leader');
  });

  for (let round = 0; round < 3; round++) {
    it(`kill -9 of a Riffle node under producers and a consumer, round ${round + 1}`, { timeout: 300_000 }, async (t) => {
      const report = await riffleNodeFault(cluster, `riffle-node-soak-${round}`, { shards: 4, producers: 6, recordsPerCall: 25, callsBefore: 10 + 10 * round, callsDuring: 60, callsAfter: 0 });
      t.diagnostic(JSON.stringify(report));
      assert.ok(report.switchedProducers > 0);
    });
  }
});
