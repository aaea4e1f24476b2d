import fs from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ObjectStore } from '../object-store.js';
import { FileIo, StorageIoError, type FaultProbe } from './file-io.js';

/** Bucket names as S3 allows them (the channel API's BucketARN pattern), so a name is always one directory. */
const bucketName = /^[a-z0-9._-]{3,63}$/;

/** An object key that would leave its bucket's directory, or name a directory instead of a file. */
export class InvalidObjectKeyError extends Error {
  readonly code = 'RIFFLE_ERR_INVALID_OBJECT_KEY';
}

/**
 * Buckets as directories under `root` (`<data-dir>/s3`): an object is written to a temporary file beside its
 * final name, fsync'd, renamed into place, and the directories it created or changed are fsync'd, so a crash
 * leaves the whole object or none of it.
 */
export class FileObjectStore implements ObjectStore {
  readonly root: string;
  readonly #io: FileIo;

  constructor(root: string, faults?: FaultProbe) {
    this.root = resolve(root);
    this.#io = new FileIo(faults);
  }

  /**
   * S3 keys are names, not paths: `.` and `..` segments (a channel may be named `..`) become `%2E` and `%2E%2E`, so
   * that no key reaches outside its bucket's directory.
   */
  pathOf(bucket: string, key: string): string {
    if (!bucketName.test(bucket)) throw new InvalidObjectKeyError(`invalid bucket name ${JSON.stringify(bucket)}`);
    const bucketDir = join(this.root, bucket);
    const safeKey = key
      .split('/')
      .map((segment) => (segment === '.' ? '%2E' : segment === '..' ? '%2E%2E' : segment))
      .join('/');
    const path = resolve(bucketDir, safeKey);
    const inside = relative(bucketDir, path);
    if (key.length === 0 || key.endsWith('/') || inside === '' || isAbsolute(inside) || inside.split(sep).includes('..')) {
      throw new InvalidObjectKeyError(`object key ${JSON.stringify(key)} does not name a file inside bucket ${bucket}`);
    }
    return path;
  }

  async putObject(bucket: string, key: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(bucket, key);
    const dir = dirname(path);
    let created: string | undefined;
    try {
      created = await fs.promises.mkdir(dir, { recursive: true });
    } catch (error) {
      throw new StorageIoError('mkdir', dir, error);
    }
    await this.#io.replaceFile(path, bytes);
    await this.#io.syncDirectory(dir);
    // New directories are durable only once their parents' entries are.
    if (created !== undefined) {
      for (let parent = dirname(dir); ; parent = dirname(parent)) {
        await this.#io.syncDirectory(parent);
        if (parent === dirname(created) || parent === this.root || parent === dirname(parent)) break;
      }
    }
  }

  async hasObject(bucket: string, key: string): Promise<boolean> {
    try {
      return (await fs.promises.stat(this.pathOf(bucket, key))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    const path = this.pathOf(bucket, key);
    await fs.promises.rm(path, { force: true });
    await fs.promises.rm(`${path}.tmp`, { force: true });
    try {
      await this.#io.syncDirectory(dirname(path));
    } catch (error) {
      if ((error as { cause?: NodeJS.ErrnoException }).cause?.code !== 'ENOENT') throw error;
    }
  }
}
