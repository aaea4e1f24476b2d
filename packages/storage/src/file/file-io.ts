import fs from 'node:fs';

/**
 * Test-only failure probes: called before each write or sync of a storage file; throwing from one makes that
 * call fail as the disk would (ENOSPC, EIO), so every failure path runs in tests without a broken disk.
 */
export interface FaultProbe {
  beforeWrite?(path: string): void;
  beforeSync?(path: string): void;
  /** Sees every read of a segment file (tests count bytes to show lookups go through the indexes). */
  beforeRead?(path: string, position: number, length: number): void;
}

/** A failed read, write or sync of a storage file: answered as InternalFailure, logged with the file. */
export class StorageIoError extends Error {
  readonly code = 'RIFFLE_ERR_STORAGE_IO';
  /** The system error code (ENOSPC, EIO, ...), when there was one. */
  readonly errno: string | undefined;

  constructor(
    readonly operation: string,
    readonly path: string,
    cause: unknown,
  ) {
    const errno = (cause as { code?: unknown } | undefined)?.code;
    super(`${operation} failed on ${path}: ${(cause as Error | undefined)?.message ?? String(cause)}`, { cause });
    this.name = 'StorageIoError';
    this.errno = typeof errno === 'string' ? errno : undefined;
  }
}

/** Makes an error shaped like the system's, for probes. */
export function systemError(code: 'ENOSPC' | 'EIO', syscall: string): NodeJS.ErrnoException {
  const text = code === 'ENOSPC' ? 'no space left on device' : 'i/o error';
  return Object.assign(new Error(`${code}: ${text}, ${syscall}`), { code, syscall });
}

/** A whole file, or undefined when there is none (any other failure is thrown). */
export function readFileIfExists(path: string): Buffer | undefined {
  try {
    return fs.readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The file operations the file store uses, with the probes in front of writes and syncs. */
export class FileIo {
  constructor(private readonly probe: FaultProbe = {}) {}

  /** Writes all of bytes at position; a short write is continued, a failed one throws StorageIoError. */
  writeAllSync(fd: number, path: string, bytes: Uint8Array, position: number): void {
    try {
      this.probe.beforeWrite?.(path);
      let written = 0;
      while (written < bytes.byteLength) {
        written += fs.writeSync(fd, bytes, written, bytes.byteLength - written, position + written);
      }
    } catch (error) {
      throw new StorageIoError('write', path, error);
    }
  }

  truncateSync(fd: number, path: string, size: number): void {
    try {
      fs.ftruncateSync(fd, size);
    } catch (error) {
      throw new StorageIoError('truncate', path, error);
    }
  }

  datasync(fd: number, path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      try {
        this.probe.beforeSync?.(path);
      } catch (error) {
        reject(new StorageIoError('fsync', path, error));
        return;
      }
      fs.fdatasync(fd, (error) => (error ? reject(new StorageIoError('fsync', path, error)) : resolve()));
    });
  }

  /** fdatasync on the calling thread: for a single file, cheaper than the trip through libuv's pool. */
  datasyncSync(fd: number, path: string): void {
    try {
      this.probe.beforeSync?.(path);
      fs.fdatasyncSync(fd);
    } catch (error) {
      throw new StorageIoError('fsync', path, error);
    }
  }

  /** Makes a directory's entries (files created, renamed or removed in it) durable. */
  async syncDirectory(path: string): Promise<void> {
    try {
      this.probe.beforeSync?.(path);
      const handle = await fs.promises.open(path, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw new StorageIoError('fsync', path, error);
    }
  }

  /** Reads up to length bytes; fewer only at the end of the file. */
  read(fd: number, path: string, buffer: Buffer, length: number, position: number): Promise<number> {
    this.probe.beforeRead?.(path, position, length);
    return new Promise((resolve, reject) => {
      const step = (done: number) => {
        if (done >= length) return resolve(done);
        fs.read(fd, buffer, done, length - done, position + done, (error, bytes) => {
          if (error) reject(new StorageIoError('read', path, error));
          else if (bytes === 0) resolve(done);
          else step(done + bytes);
        });
      };
      step(0);
    });
  }

  /** Writes a whole small file so that it replaces `path` atomically and durably (temp file, fsync, rename). */
  async replaceFile(path: string, bytes: Uint8Array): Promise<void> {
    const temp = `${path}.tmp`;
    try {
      this.probe.beforeWrite?.(temp);
      const handle = await fs.promises.open(temp, 'w');
      try {
        await handle.writeFile(bytes);
        this.probe.beforeSync?.(temp);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(temp, path);
    } catch (error) {
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      throw new StorageIoError('write', path, error);
    }
  }
}
