import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, resolveConfig, settings } from './config.js';

describe('configuration', () => {
  it('has AWS-like defaults', () => {
    const config = resolveConfig({}, {});
    assert.equal(config.port, 4567);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.store, 'file');
    assert.equal(config.fsync, 'always');
    assert.equal(config.accountId, '000000000000');
    assert.equal(config.region, 'us-east-1');
    assert.equal(config.shardLimit, 20000);
    assert.equal(config.createStreamMs, 500);
    assert.equal(config.throughput, true);
    assert.equal(config.controlPlaneLimits, true);
    assert.equal(config.faults, undefined);
    assert.equal(config.tls, false);
  });

  it('opens the console port on 4568 unless set or switched off', () => {
    assert.equal(resolveConfig({}, {}).consolePort, 4568);
    assert.equal(resolveConfig({ 'console-port': '0' }, {}).consolePort, 0);
    assert.equal(resolveConfig({}, { RIFFLE_CONSOLE_PORT: '9000' }).consolePort, 9000);
    assert.equal(resolveConfig({ 'console-port': 'off' }, { RIFFLE_CONSOLE_PORT: '9000' }).consolePort, undefined);
    assert.equal(resolveConfig({}, { RIFFLE_CONSOLE_PORT: 'OFF' }).consolePort, undefined);
    assert.throws(() => resolveConfig({ 'console-port': '70000' }, {}), /--console-port: expected a port \(0-65535\) or off, got '70000'/);
    assert.throws(() => resolveConfig({ 'console-port': 'no' }, {}), ConfigError);
    assert.match(resolveConfig({}, {}).consoleAssets, /packages\/console\/dist\/web$/);
  });

  it('takes --store nats:// URLs for a JetStream cluster, with its options, and refuses others', () => {
    const config = resolveConfig({ store: 'nats://10.0.0.1:4222, tls://10.0.0.2:4222' }, { RIFFLE_NATS_PASSWORD: 'pw', RIFFLE_NATS_TOKEN: '' });
    assert.equal(config.store, 'nats');
    assert.deepEqual(config.natsServers, ['nats://10.0.0.1:4222', 'tls://10.0.0.2:4222']);
    assert.equal(config.natsReplicas, 3);
    assert.equal(config.natsPrefix, 'riffle');
    assert.equal(config.natsPassword, 'pw');
    assert.equal(config.natsToken, undefined);
    assert.deepEqual(resolveConfig({}, {}).natsServers, []);
    assert.equal(resolveConfig({ store: 'memory' }, {}).store, 'memory');
    assert.throws(() => resolveConfig({ store: 'disk' }, {}), /--store: expected file, memory or nats:\/\/host:port/);
    assert.throws(() => resolveConfig({ store: 'nats://a:4222,http://b' }, {}), ConfigError);
    assert.throws(() => resolveConfig({ store: 'nats://a:4222', 'nats-replicas': '7' }, {}), /--nats-replicas must be between 1 and 5/);
    assert.throws(() => resolveConfig({ store: 'nats://a:4222', 'nats-tls-cert': 'c.pem' }, {}), /--nats-tls-cert and --nats-tls-key go together/);
  });

  it('takes the shard quota from the region unless set', () => {
    assert.equal(resolveConfig({ region: 'ap-south-1' }, {}).shardLimit, 1000);
    assert.equal(resolveConfig({}, { RIFFLE_REGION: 'eu-west-1' }).shardLimit, 20000);
    assert.equal(resolveConfig({ region: 'ap-south-1', 'shard-limit': '7' }, {}).shardLimit, 7);
  });

  it('lets flags win over RIFFLE_* variables, which win over defaults', () => {
    assert.equal(resolveConfig({}, { RIFFLE_PORT: '5000' }).port, 5000);
    assert.equal(resolveConfig({ port: '6000' }, { RIFFLE_PORT: '5000' }).port, 6000);
    assert.equal(resolveConfig({ throughput: 'off' }, {}).throughput, false);
    assert.equal(resolveConfig({}, { RIFFLE_CONTROL_PLANE_LIMITS: 'off' }).controlPlaneLimits, false);
  });

  it('switches the data-plane and control-plane limits separately', () => {
    const config = resolveConfig({ throughput: 'off' }, {});
    assert.deepEqual([config.throughput, config.controlPlaneLimits], [false, true]);
    const other = resolveConfig({ 'control-plane-limits': 'off' }, {});
    assert.deepEqual([other.throughput, other.controlPlaneLimits], [true, false]);
  });

  it('keeps --limits off (deprecated) as both limits off, unless one is set itself', () => {
    const config = resolveConfig({ limits: 'off' }, {});
    assert.deepEqual([config.throughput, config.controlPlaneLimits], [false, false]);
    const fromEnv = resolveConfig({}, { RIFFLE_LIMITS: 'off', RIFFLE_THROUGHPUT: 'on' });
    assert.deepEqual([fromEnv.throughput, fromEnv.controlPlaneLimits], [true, false]);
  });

  it('parses --fault-injection and --fault-seed into a plan', () => {
    const config = resolveConfig({ 'fault-injection': 'PutRecords:throttle=0.1:internal=0.05, GetRecords:internal=0.5', 'fault-seed': '42' }, {});
    assert.deepEqual(config.faults, {
      rules: { PutRecords: { throttle: 0.1, internal: 0.05 }, GetRecords: { throttle: 0, internal: 0.5 } },
      seed: 42,
    });
    // Without a seed one is chosen (and logged at start), so the run can be repeated.
    assert.equal(typeof resolveConfig({ 'fault-injection': '*:throttle=0.01' }, {}).faults?.seed, 'number');
    assert.throws(() => resolveConfig({ 'fault-injection': 'PutRecord:throttle=1.5' }, {}), /between 0 and 1/);
    assert.throws(() => resolveConfig({ 'fault-injection': 'Frobnicate:throttle=0.1' }, {}), /unknown operation 'Frobnicate'/);
    assert.throws(() => resolveConfig({ 'fault-injection': 'PutRecords:throttle=0.6:internal=0.6' }, {}), /more than 1/);
    assert.throws(() => resolveConfig({ 'fault-injection': 'PutRecords' }, {}), /Operation:kind=share/);
  });

  it('takes the master key of encryption at rest from RIFFLE_MASTER_KEY only, or a keyring file, not both', () => {
    const key = Buffer.alloc(32, 9);
    assert.deepEqual(resolveConfig({}, { RIFFLE_MASTER_KEY: key.toString('base64') }).masterKey, key);
    assert.equal(resolveConfig({}, {}).masterKey, undefined);
    assert.equal(resolveConfig({}, { RIFFLE_MASTER_KEY: '' }).masterKey, undefined);
    assert.equal(resolveConfig({ keyring: '/etc/riffle/keyring.json' }, {}).keyring, '/etc/riffle/keyring.json');
    assert.equal(resolveConfig({}, { RIFFLE_KEYRING: '/k.json' }).keyring, '/k.json');
    const short = Buffer.alloc(31, 9).toString('base64');
    assert.throws(
      () => resolveConfig({}, { RIFFLE_MASTER_KEY: short }),
      (error: Error) => error instanceof ConfigError && /base64 of 32 random bytes/.test(error.message) && !error.message.includes(short),
    );
    assert.throws(() => resolveConfig({ keyring: '/k.json' }, { RIFFLE_MASTER_KEY: key.toString('base64') }), /set one of them/);
    assert.equal(settings.some((setting) => setting.flag === 'master-key'), false, 'no flag: command lines are public');
  });

  it('has an environment variable for every flag', () => {
    // RIFFLE_ACCESS_KEYS holds keys themselves; the file of --access-keys is RIFFLE_ACCESS_KEYS_FILE.
    const renamed: Record<string, string> = { 'access-keys': 'RIFFLE_ACCESS_KEYS_FILE' };
    for (const setting of settings) {
      assert.equal(setting.env, renamed[setting.flag] ?? 'RIFFLE_' + setting.flag.toUpperCase().replaceAll('-', '_'));
    }
  });

  it('reads --auth, --access-keys and RIFFLE_ACCESS_KEYS; strict needs keys', () => {
    const permissive = resolveConfig({}, {});
    assert.deepEqual([permissive.auth, permissive.accessKeysFile, permissive.accessKeys], ['permissive', undefined, []]);
    const fromFile = resolveConfig({ auth: 'strict', 'access-keys': '/etc/riffle/keys.json' }, {});
    assert.deepEqual([fromFile.auth, fromFile.accessKeysFile], ['strict', '/etc/riffle/keys.json']);
    const fromEnv = resolveConfig({}, { RIFFLE_AUTH: 'strict', RIFFLE_ACCESS_KEYS: 'AKIDONE:s1:111122223333, AKIDTWO:s2:444455556666' });
    assert.deepEqual(fromEnv.accessKeys, [
      { accessKeyId: 'AKIDONE', secretAccessKey: 's1', accountId: '111122223333' },
      { accessKeyId: 'AKIDTWO', secretAccessKey: 's2', accountId: '444455556666' },
    ]);
    assert.equal(resolveConfig({}, { RIFFLE_ACCESS_KEYS_FILE: 'k.json' }).accessKeysFile, 'k.json');
    assert.throws(() => resolveConfig({ auth: 'strict' }, {}), (error: Error) => error instanceof ConfigError && /--auth strict needs access keys/.test(error.message));
    assert.throws(() => resolveConfig({ auth: 'open' }, {}), /expected one of permissive, strict/);
  });

  it('refuses a malformed RIFFLE_ACCESS_KEYS without repeating its secrets', () => {
    for (const [value, pattern] of [
      ['AKIDONE:topsecret', /entry 1: expected AKID:SECRET:ACCOUNTID/],
      ['AKIDONE:a:111122223333,AKIDTWO:topsecret:123', /entry 2 \(AKIDTWO\): the account id must be 12 digits/],
      ['AKIDONE:a:111122223333,AKIDONE:topsecret:111122223333', /entry 2: access key id AKIDONE appears twice/],
      ['AKID/X:topsecret:111122223333', /entry 1: the access key id must be/],
    ] as const) {
      assert.throws(
        () => resolveConfig({}, { RIFFLE_ACCESS_KEYS: value }),
        (error: Error) => error instanceof ConfigError && pattern.test(error.message) && !error.message.includes('topsecret'),
      );
    }
  });

  it('refuses bad values with a clear message', () => {
    assert.throws(() => resolveConfig({ port: 'abc' }, {}), ConfigError);
    assert.throws(() => resolveConfig({ store: 'tape' }, {}), /--store: expected file, memory or nats:\/\/host:port/);
    assert.throws(() => resolveConfig({ 'account-id': '123' }, {}), /12 digits/);
    assert.throws(() => resolveConfig({ fsync: 'never' }, {}), /expected one of always, interval/);
    assert.throws(() => resolveConfig({ 'segment-bytes': '10' }, {}), /--segment-bytes must be between/);
    assert.throws(() => resolveConfig({ 'tls-cert': 'c.pem' }, {}), /go together/);
    assert.equal(resolveConfig({ 'tls-cert': 'c.pem', 'tls-key': 'k.pem' }, {}).tls, true);
  });
  it('has documented hardening defaults, and --tls-only implies --tls', () => {
    const config = resolveConfig({}, {});
    assert.deepEqual(
      [config.maxHeaderBytes, config.maxConnections, config.maxConcurrentStreams, config.idleTimeoutMs, config.headersTimeoutMs, config.requestTimeoutMs],
      [16384, 10000, 1000, 60000, 30000, 120000],
    );
    assert.equal(config.tlsOnly, false);
    const tlsOnly = resolveConfig({}, { RIFFLE_TLS_ONLY: 'on' });
    assert.deepEqual([tlsOnly.tls, tlsOnly.tlsOnly], [true, true]);
    assert.throws(() => resolveConfig({ 'headers-timeout-ms': '5000', 'request-timeout-ms': '1000' }, {}), /--headers-timeout-ms must not exceed --request-timeout-ms/);
    assert.throws(() => resolveConfig({ 'max-connections': '0' }, {}), /--max-connections must be at least 1/);
    assert.throws(() => resolveConfig({ 'max-header-bytes': '100' }, {}), /--max-header-bytes must be at least 1024/);
  });

  it('keeps the audit log off unless a file is given', () => {
    const config = resolveConfig({}, {});
    assert.deepEqual([config.auditLog, config.auditLogMaxBytes, config.auditLogFiles, config.auditDataEvents], [undefined, 104857600, 5, false]);
    const on = resolveConfig({ 'audit-log': 'audit.log', 'audit-data-events': true }, {});
    assert.deepEqual([on.auditLog, on.auditDataEvents], ['audit.log', true]);
    assert.throws(() => resolveConfig({ 'audit-data-events': true }, {}), /--audit-data-events needs --audit-log FILE/);
  });
});
