import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { AccessKeyStore } from './access-key-store.js';
import { AccessKeysError } from './access-keys-error.js';

const FIXED = { accessKeyId: 'AKIDENV', secretAccessKey: 'env-secret', accountId: '111122223333' };
const key = (accessKeyId: string) => ({ accessKeyId, secretAccessKey: `${accessKeyId}-secret`, accountId: '111122223333' });
const document = (...ids: string[]) => JSON.stringify({ accessKeys: ids.map(key) });

/** Bounded: the watcher's answer arrives within a few event-loop turns of the settle time, or never. */
async function eventually(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++) await delay(25);
  assert.ok(condition(), 'the condition never held');
}

describe('AccessKeyStore', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-keys-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('serves RIFFLE_ACCESS_KEYS alone', async () => {
    const store = await AccessKeyStore.open({ fixed: [FIXED], log: () => undefined });
    assert.equal(store.lookup('AKIDENV'), FIXED);
    assert.equal(store.lookup('AKIDOTHER'), undefined);
  });

  it('refuses an unreadable or invalid file at start', async () => {
    await assert.rejects(AccessKeyStore.open({ file: join(dir, 'missing.json'), fixed: [], log: () => undefined }), (error: Error) =>
      error instanceof AccessKeysError && /missing\.json: cannot read the access-key file \(ENOENT\)/.test(error.message),
    );
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"accessKeys": [{}]}');
    await assert.rejects(AccessKeyStore.open({ file: bad, fixed: [], log: () => undefined }), /bad\.json: accessKeys\[0\]: accessKeyId/);
  });

  it('follows the file as it is rewritten, renamed over and broken, keeping the last good keys', async () => {
    const file = join(dir, 'keys.json');
    await writeFile(file, document('AKIDONE'));
    const logs: Array<Record<string, unknown>> = [];
    const store = await AccessKeyStore.open({ file, fixed: [FIXED], log: (entry) => logs.push(entry), settleMs: 10 });
    store.watch();
    try {
      assert.deepEqual([store.lookup('AKIDONE')?.secretAccessKey, store.lookup('AKIDENV')], ['AKIDONE-secret', FIXED]);

      await writeFile(file, document('AKIDTWO'));
      await eventually(() => store.lookup('AKIDTWO') !== undefined);
      assert.equal(store.lookup('AKIDONE'), undefined);
      assert.equal(store.lookup('AKIDENV'), FIXED);

      // Editors and config tools replace the file by renaming a new one over it.
      await writeFile(join(dir, 'keys.json.tmp'), document('AKIDTHREE'));
      await rename(join(dir, 'keys.json.tmp'), file);
      await eventually(() => store.lookup('AKIDTHREE') !== undefined);

      await writeFile(file, '{"accessKeys": [');
      await eventually(() => logs.some((entry) => entry.event === 'access-keys-invalid'));
      assert.ok(store.lookup('AKIDTHREE'), 'the last good keys stay');
      const invalid = logs.find((entry) => entry.event === 'access-keys-invalid')!;
      assert.equal(invalid.level, 'error');
      assert.match(String(invalid.error), /keys\.json: not valid JSON/);
      assert.ok(!JSON.stringify(logs).includes('-secret'), 'no secret in the logs');
    } finally {
      store.close();
    }
  });

  it('re-reads the file on reload() (SIGHUP) without a watcher', async () => {
    const file = join(dir, 'hup.json');
    await writeFile(file, document('AKIDBEFORE'));
    const logs: Array<Record<string, unknown>> = [];
    const store = await AccessKeyStore.open({ file, fixed: [], log: (entry) => logs.push(entry) });
    await writeFile(file, document('AKIDAFTER'));
    assert.ok(store.lookup('AKIDBEFORE'));
    await store.reload();
    assert.deepEqual([store.lookup('AKIDBEFORE'), store.lookup('AKIDAFTER')?.accessKeyId], [undefined, 'AKIDAFTER']);
    assert.deepEqual(logs.at(-1), { event: 'access-keys-reloaded', file, keys: 1 });
    await rm(file);
    await store.reload();
    assert.ok(store.lookup('AKIDAFTER'), 'a missing file leaves the keys as they were');
    assert.equal(logs.at(-1)!.event, 'access-keys-invalid');
  });
});
