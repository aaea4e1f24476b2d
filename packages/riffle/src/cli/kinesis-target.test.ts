import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './cli-error.js';
import { LOCAL_ENDPOINT, resolveTarget } from './kinesis-target.js';

describe('resolveTarget: where a command talks to', () => {
  it('--endpoint-url wins over both environment variables', () => {
    const env = { HOME: '/nonexistent', AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:1', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' };
    const target = resolveTarget({ endpointUrl: 'http://127.0.0.1:3' }, env);
    assert.equal(target.endpoint, 'http://127.0.0.1:3');
    assert.equal(target.source, '--endpoint-url');
  });

  it('then AWS_ENDPOINT_URL_KINESIS, then AWS_ENDPOINT_URL, then the local default', () => {
    assert.equal(resolveTarget({}, { HOME: '/nonexistent', AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:1', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' }).endpoint, 'http://127.0.0.1:1');
    assert.equal(resolveTarget({}, { HOME: '/nonexistent', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' }).endpoint, 'http://127.0.0.1:2');
    const local = resolveTarget({}, { HOME: '/nonexistent' });
    assert.equal(local.endpoint, LOCAL_ENDPOINT);
    assert.equal(local.source, 'default');
  });

  it('locally signs with a stand-in key when the user has none, and with theirs when they do', () => {
    const none = resolveTarget({}, { HOME: '/nonexistent' });
    assert.equal(none.credentials?.accessKeyId, 'riffle');
    assert.equal(none.region, 'us-east-1');
    const own = resolveTarget({}, { HOME: '/nonexistent', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 's' });
    assert.equal(own.credentials, undefined, 'the SDK chain reads the environment keys');
  });

  it('takes the region from --region, AWS_REGION, AWS_DEFAULT_REGION, then the profile', () => {
    const home = mkdtempSync(join(tmpdir(), 'riffle-target-'));
    try {
      writeFileSync(join(home, 'config'), '[default]\nregion = eu-west-1\n[profile lab]\nregion = ap-south-1\n');
      const base = { HOME: home, AWS_CONFIG_FILE: join(home, 'config') };
      assert.equal(resolveTarget({}, base).region, 'eu-west-1');
      assert.equal(resolveTarget({ profile: 'lab' }, base).region, 'ap-south-1');
      assert.equal(resolveTarget({}, { ...base, AWS_PROFILE: 'lab' }).region, 'ap-south-1');
      assert.equal(resolveTarget({}, { ...base, AWS_DEFAULT_REGION: 'us-west-2' }).region, 'us-west-2');
      assert.equal(resolveTarget({}, { ...base, AWS_DEFAULT_REGION: 'us-west-2', AWS_REGION: 'eu-central-1' }).region, 'eu-central-1');
      assert.equal(resolveTarget({ region: 'sa-east-1' }, { ...base, AWS_REGION: 'eu-central-1' }).region, 'sa-east-1');
      // A defined profile's own credentials sign, through the SDK's chain.
      assert.equal(resolveTarget({}, base).credentials, undefined);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('--aws ignores the environment endpoints and needs a region', () => {
    const target = resolveTarget({ aws: true }, { HOME: '/nonexistent', AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:1', AWS_REGION: 'eu-west-1' });
    assert.equal(target.endpoint, undefined);
    assert.equal(target.credentials, undefined);
    assert.throws(() => resolveTarget({ aws: true }, { HOME: '/nonexistent' }), CliError);
    assert.throws(() => resolveTarget({ aws: true, endpointUrl: 'http://x' }, { HOME: '/nonexistent', AWS_REGION: 'eu-west-1' }), /exclude each other/);
  });

  it('refuses an endpoint that is not an http(s) URL, naming where it came from', () => {
    assert.throws(() => resolveTarget({ endpointUrl: 'localhost:4567' }, { HOME: '/nonexistent' }), /--endpoint-url "localhost:4567" must be an http/);
    assert.throws(() => resolveTarget({}, { HOME: '/nonexistent', AWS_ENDPOINT_URL: 'not a url' }), /AWS_ENDPOINT_URL "not a url" is not a URL/);
  });
});
