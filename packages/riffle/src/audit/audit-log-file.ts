import { mkdir, open, rename, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface AuditLogFileOptions {
  readonly path: string;
  /** Rotate before the file would grow past this (a single longer line still gets a file of its own). */
  readonly maxBytes: number;
  /** Rotated files kept: path.1 (newest) to path.N. */
  readonly files: number;
  /** Write failures and dropped lines; never given the lines themselves. */
  readonly report?: (entry: Record<string, unknown>) => void;
  /** Lines waiting beyond this are dropped (and counted) rather than growing memory without bound. */
  readonly maxPendingBytes?: number;
}

const DEFAULT_MAX_PENDING_BYTES = 64 * 1024 * 1024;

/**
 * JSON lines appended asynchronously: append() only queues, and whatever queued while a write was running goes
 * out in the next single write, so a busy server writes few large batches and never waits for the disk. Rotation
 * renames path -> path.1 -> path.2 ... (the oldest beyond `files` is overwritten). close() writes everything
 * queued and syncs the file, so a clean shutdown loses nothing.
 */
export class AuditLogFile {
  private pending: string[] = [];
  private pendingBytes = 0;
  private dropped = 0;
  private draining: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly options: AuditLogFileOptions,
    private handle: FileHandle,
    private size: number,
  ) {}

  static async open(options: AuditLogFileOptions): Promise<AuditLogFile> {
    await mkdir(dirname(options.path), { recursive: true });
    const handle = await open(options.path, 'a', 0o600);
    return new AuditLogFile(options, handle, (await handle.stat()).size);
  }

  /** Queues one line (without its newline). */
  append(line: string): void {
    if (this.closed) return;
    const bytes = Buffer.byteLength(line) + 1;
    if (this.pendingBytes + bytes > (this.options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES)) {
      this.dropped++;
      return;
    }
    this.pending.push(line);
    this.pendingBytes += bytes;
    this.draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
  }

  /** Resolves once every line queued so far is written. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.handle.sync().catch(() => undefined);
    await this.handle.close();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const lines = this.pending;
        this.pending = [];
        this.pendingBytes = 0;
        try {
          await this.write(lines);
        } catch (error) {
          this.options.report?.({ level: 'error', event: 'audit-log-write-failed', file: this.options.path, code: (error as NodeJS.ErrnoException).code, lines: lines.length });
        }
      }
      if (this.dropped > 0) {
        this.options.report?.({ level: 'error', event: 'audit-log-overflow', droppedLines: this.dropped });
        this.dropped = 0;
      }
    } finally {
      this.draining = undefined;
    }
  }

  /** Writes lines in as few writes as rotation allows. */
  private async write(lines: readonly string[]): Promise<void> {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for (const line of lines) {
      const buffer = Buffer.from(`${line}\n`);
      if (this.size + batchBytes + buffer.length > this.options.maxBytes && this.size + batchBytes > 0) {
        await this.writeOut(batch, batchBytes);
        batch = [];
        batchBytes = 0;
        await this.rotate();
      }
      batch.push(buffer);
      batchBytes += buffer.length;
    }
    await this.writeOut(batch, batchBytes);
  }

  private async writeOut(batch: readonly Buffer[], bytes: number): Promise<void> {
    if (bytes === 0) return;
    try {
      await this.handle.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch, bytes));
      this.size += bytes;
    } catch (error) {
      this.options.report?.({ level: 'error', event: 'audit-log-write-failed', file: this.options.path, code: (error as NodeJS.ErrnoException).code, lines: batch.length });
    }
  }

  private async rotate(): Promise<void> {
    const { path, files } = this.options;
    try {
      await this.handle.close();
      for (let index = files - 1; index >= 1; index--) await renameIfPresent(`${path}.${index}`, `${path}.${index + 1}`);
      await rename(path, `${path}.1`);
    } catch (error) {
      this.options.report?.({ level: 'error', event: 'audit-log-rotation-failed', file: path, code: (error as NodeJS.ErrnoException).code });
    }
    // Whatever happened above, writing goes on into path.
    this.handle = await open(path, 'a', 0o600);
    this.size = (await stat(path)).size;
  }
}

async function renameIfPresent(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
