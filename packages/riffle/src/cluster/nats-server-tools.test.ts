import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NatsServerTools } from '@riffle/testkit';
import { freePort } from './free-port.js';
import { jetStreamReady } from './jetstream-ready.js';
import { natsServerConfig } from './nats-server-config.js';

// The test harness loads these at run time (it cannot import riffle); this assignment fails to compile when
// their types and the harness's view of them part.
const tools: NatsServerTools = { natsServerConfig, jetStreamReady, freePort };

describe('natsServerConfig', () => {
  it('writes a clustered JetStream node with its routes, TLS and authorization, every string quoted', () => {
    const text = tools.natsServerConfig({
      name: 'n1',
      host: '127.0.0.1',
      clientPort: 4222,
      monitorPort: 8222,
      storeDir: '/data/with "quote"',
      cluster: { name: 'riffle', port: 6222, routes: ['nats://127.0.0.1:6222', 'nats://127.0.0.1:6223'] },
      tls: { certFile: '/c.pem', keyFile: '/k.pem', caFile: '/ca.pem', verify: true },
      authorization: { users: [{ user: 'riffle', password: 'p"w' }] },
    });
    assert.equal(
      text,
      [
        'server_name: "n1"',
        'listen: "127.0.0.1:4222"',
        'http: "127.0.0.1:8222"',
        'jetstream { store_dir: "/data/with \\"quote\\"" }',
        'cluster { name: "riffle", listen: "127.0.0.1:6222", routes: ["nats://127.0.0.1:6222", "nats://127.0.0.1:6223"] }',
        'tls { cert_file: "/c.pem", key_file: "/k.pem", ca_file: "/ca.pem", verify: true }',
        'authorization { users: [{ user: "riffle", password: "p\\"w" }] }',
        '',
      ].join('\n'),
    );
  });

  it('writes a standalone node with neither cluster nor TLS block, and an operator with its preloaded accounts', () => {
    const text = natsServerConfig({ name: 'n1', host: '127.0.0.1', clientPort: 1, monitorPort: 2, storeDir: '/s', operator: { jwt: 'OPJWT', systemAccount: 'ASYS', accounts: { ASYS: 'J1', AACC: 'J2' } } });
    assert.doesNotMatch(text, /cluster|tls/);
    assert.match(text, /^operator: "OPJWT"$/m);
    assert.match(text, /^resolver: MEMORY$/m);
    assert.match(text, /^resolver_preload: \{ ASYS: "J1", AACC: "J2" \}$/m);
  });
});
