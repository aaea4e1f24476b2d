import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileObjectStore, systemError } from '@riffle/storage';
import { tempDataDir } from './temp-data-dir.js';

describe('file object store (local S3 buckets)', () => {
  it('writes an object whole under <root>/<bucket>/<key>, syncing the file and every directory it made', async () => {
    const root = tempDataDir('objects');
    const synced: string[] = [];
    const store = new FileObjectStore(root, { beforeSync: (path) => synced.push(path) });
    await store.putObject('my-bucket', 'a/b/c/object.gz', Buffer.from('hello'));
    const path = join(root, 'my-bucket', 'a', 'b', 'c', 'object.gz');
    assert.equal(readFileSync(path, 'utf8'), 'hello');
    assert.equal(store.pathOf('my-bucket', 'a/b/c/object.gz'), path);
    assert.deepEqual(readdirSync(join(root, 'my-bucket', 'a', 'b', 'c')), ['object.gz'], 'no temporary file left');
    for (const dir of ['a/b/c', 'a/b', 'a', '']) assert.ok(synced.includes(join(root, 'my-bucket', dir)), `synced ${dir}`);
    assert.ok(synced.includes(root), 'the bucket directory is new, so its parent is synced too');
    assert.equal(await store.hasObject('my-bucket', 'a/b/c/object.gz'), true);
    assert.equal(await store.hasObject('my-bucket', 'a/b/c/other'), false);
    assert.equal(await store.hasObject('other-bucket', 'a'), false);
  });

  it('replaces and deletes objects (deleting a missing one is fine)', async () => {
    const store = new FileObjectStore(tempDataDir('objects'));
    await store.putObject('bucket', 'k', Buffer.from('1'));
    await store.putObject('bucket', 'k', Buffer.from('2'));
    assert.equal(readFileSync(store.pathOf('bucket', 'k'), 'utf8'), '2');
    await store.deleteObject('bucket', 'k');
    await store.deleteObject('bucket', 'k');
    await store.deleteObject('bucket', 'never/was');
    assert.equal(await store.hasObject('bucket', 'k'), false);
  });

  it('keeps . and .. key segments inside the bucket, as names', async () => {
    const root = tempDataDir('objects');
    const store = new FileObjectStore(root);
    await store.putObject('bucket', '../../escape/./x', Buffer.from('x'));
    assert.equal(store.pathOf('bucket', '../../escape/./x'), join(root, 'bucket', '%2E%2E', '%2E%2E', 'escape', '%2E', 'x'));
    assert.equal(readFileSync(join(root, 'bucket', '%2E%2E', '%2E%2E', 'escape', '%2E', 'x'), 'utf8'), 'x');
    assert.equal(await store.hasObject('bucket', '../../escape/./x'), true);
    await store.putObject('bucket', '..dots/x..', Buffer.from('y'));
    assert.equal(readFileSync(join(root, 'bucket', '..dots', 'x..'), 'utf8'), 'y');
  });

  it('refuses keys that name a directory, and bad bucket names', async () => {
    const store = new FileObjectStore(tempDataDir('objects'));
    for (const key of ['dir/', '', '/', '/abs/x']) {
      await assert.rejects(store.putObject('bucket', key, Buffer.from('x')), { code: 'RIFFLE_ERR_INVALID_OBJECT_KEY' }, key);
    }
    for (const bucket of ['..', 'a', 'UPPER', 'a/b']) {
      assert.throws(() => store.pathOf(bucket, 'k'), { code: 'RIFFLE_ERR_INVALID_OBJECT_KEY' }, bucket);
    }
  });

  it('leaves nothing behind when the disk refuses the write', async () => {
    const root = tempDataDir('objects');
    const store = new FileObjectStore(root, {
      beforeSync: (path) => {
        if (path.endsWith('.tmp')) throw systemError('ENOSPC', 'fsync');
      },
    });
    await assert.rejects(store.putObject('bucket', 'x/y', Buffer.from('data')), { code: 'RIFFLE_ERR_STORAGE_IO' });
    assert.equal(existsSync(join(root, 'bucket', 'x', 'y')), false);
    assert.equal(existsSync(join(root, 'bucket', 'x', 'y.tmp')), false);
  });
});
