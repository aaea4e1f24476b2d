import { after } from 'node:test';
import { describeMetadataStoreContract, describeShardLogContract } from '@riffle/storage';
import { startNatsCluster, type NatsCluster } from '@riffle/testkit';
import { openNatsStorage, type NatsStorage } from '@riffle/storage-nats';

// Needs /usr/sbin/nats-server (.ci/run installs it): without it this file fails, it never skips.
const three = await startNatsCluster({ nodes: 3 });
const one = await startNatsCluster({ nodes: 1 });
const open: NatsStorage[] = [];
let count = 0;

after(async () => {
  for (const storage of open) await storage.close().catch(() => undefined);
  await three.stop();
  await one.stop();
});

/** A storage of its own (its own names), so that every case starts empty. */
async function fresh(cluster: NatsCluster, replicas: number): Promise<NatsStorage> {
  const storage = await openNatsStorage({ servers: cluster.servers, replicas, prefix: `c${count++}` });
  open.push(storage);
  return storage;
}

describeShardLogContract('NATS JetStream, 3 nodes, R3', async () => (await fresh(three, 3)).openShardLog('s@1', 'shardId-000000000000'));
describeMetadataStoreContract('NATS JetStream KV, 3 nodes, R3', async () => (await fresh(three, 3)).metadata);
describeShardLogContract('NATS JetStream, 1 node', async () => (await fresh(one, 1)).openShardLog('s.x@1', 'shardId-000000000000'));
describeMetadataStoreContract('NATS JetStream KV, 1 node', async () => (await fresh(one, 1)).metadata);
