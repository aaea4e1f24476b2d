import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseClusterOptions } from './cluster-options.js';
import { clusterLayout } from './cluster-layout.js';

describe('riffle cluster options', () => {
  it('defaults: 2 nodes from 4567, consoles right after the API ports, NATS as saved or 4222', () => {
    const options = parseClusterOptions([]);
    assert.equal(options.nodes, 2);
    assert.equal(options.port, 4567);
    assert.equal(options.consolePort, 4569);
    assert.equal(options.natsNodes, undefined);
    assert.equal(options.natsPort, undefined);
    assert.match(options.dataDir, /riffle-cluster-data$/);
  });

  it('passes what follows -- to serve, and turns the consoles off', () => {
    const options = parseClusterOptions(['--nodes', '3', '--console-port', 'off', '--', '--throughput', 'off']);
    assert.equal(options.consolePort, undefined);
    assert.deepEqual(options.serveArgs, ['--throughput', 'off']);
  });

  it('refuses a node count or port out of range', () => {
    assert.throws(() => parseClusterOptions(['--nodes', '0']), /--nodes must be an integer from 1 to 16/);
    assert.throws(() => parseClusterOptions(['--port', '65535']), /--port must be a port/);
    assert.throws(() => parseClusterOptions(['--nats-port', '62000']), /--nats-port must be a port/);
  });
});

describe('riffle cluster layout', () => {
  it('places NATS routes at +2000 and monitoring at +4000, saves it, and holds a data dir to it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'riffle-layout-'));
    try {
      const made = await clusterLayout(dataDir, 3, 14222);
      assert.deepEqual(made.nats.map((n) => [n.name, n.clientPort, n.clusterPort, n.monitorPort]), [
        ['n1', 14222, 16222, 18222],
        ['n2', 14223, 16223, 18223],
        ['n3', 14224, 16224, 18224],
      ]);
      assert.deepEqual(await clusterLayout(dataDir, undefined, undefined), made);
      await assert.rejects(clusterLayout(dataDir, 5, undefined), /holds a cluster of 3 NATS nodes, not 5/);
      await assert.rejects(clusterLayout(dataDir, undefined, 4222), /NATS ports start at 14222, not 4222/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
