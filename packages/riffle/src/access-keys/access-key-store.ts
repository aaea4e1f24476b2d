import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { AccessKey, AccessKeyLookup } from '@riffle/wire';
import type { Logger } from '../logger.js';
import { parseAccessKeyFile } from './access-key-file.js';
import { AccessKeysError } from './access-keys-error.js';

export interface AccessKeyStoreOptions {
  /** The `--access-keys` file: re-read when it changes and on reload() (SIGHUP). */
  readonly file?: string;
  /** From RIFFLE_ACCESS_KEYS: fixed for the life of the process. */
  readonly fixed: readonly AccessKey[];
  readonly log: Logger;
  /** Lets a burst of file events (an editor's write, rename, chmod) settle before the file is read. */
  readonly settleMs?: number;
}

const DEFAULT_SETTLE_MS = 100;

/**
 * The access keys strict authentication accepts. Keys are added, rotated and removed by rewriting the file:
 * each new version replaces the file's keys at once; a version that is missing or invalid is logged and the
 * last good keys stay.
 */
export class AccessKeyStore {
  private keys: ReadonlyMap<string, AccessKey>;
  private readonly reserved: ReadonlySet<string>;
  /** The text last read, good or bad: events that leave it as it was change nothing (mtime alone is too coarse). */
  private text: string | undefined;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();

  private constructor(private readonly options: AccessKeyStoreOptions) {
    this.reserved = new Set(options.fixed.map((key) => key.accessKeyId));
    this.keys = this.merge([]);
  }

  /** Reads the file once; at start an unreadable or invalid file is an error, not a log line. */
  static async open(options: AccessKeyStoreOptions): Promise<AccessKeyStore> {
    const store = new AccessKeyStore(options);
    if (options.file !== undefined) {
      const text = await store.read(options.file);
      store.keys = store.merge(parseAccessKeyFile(text, options.file, store.reserved));
      store.text = text;
    }
    return store;
  }

  readonly lookup: AccessKeyLookup = (accessKeyId) => this.keys.get(accessKeyId);

  get size(): number {
    return this.keys.size;
  }

  /** Whether any key belongs to the account: such an account gets its own engine and store on this server. */
  hostsAccount(accountId: string): boolean {
    for (const key of this.keys.values()) if (key.accountId === accountId) return true;
    return false;
  }

  /** Re-reads the file now, even if it looks unchanged. */
  reload(): Promise<void> {
    return this.enqueue(true);
  }

  /** Watches the file's directory, so that a file replaced by rename (as editors and config tools do) is seen. */
  watch(): void {
    const file = this.options.file;
    if (file === undefined || this.watcher !== undefined) return;
    const name = basename(file);
    this.watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed === null || changed === name) this.scheduleCheck();
    });
    this.watcher.on('error', (error) => this.options.log({ level: 'error', event: 'access-keys-watch-failed', file, error: String(error) }));
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private scheduleCheck(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.enqueue(false);
    }, this.options.settleMs ?? DEFAULT_SETTLE_MS);
    this.timer.unref();
  }

  private enqueue(forced: boolean): Promise<void> {
    this.queue = this.queue
      .then(() => this.refresh(forced))
      .catch((error: unknown) => this.options.log({ level: 'error', event: 'access-keys-reload-failed', error: String(error) }));
    return this.queue;
  }

  private async refresh(forced: boolean): Promise<void> {
    const file = this.options.file;
    if (file === undefined) return;
    let text: string;
    try {
      text = await this.read(file);
    } catch (error) {
      this.options.log({ level: 'error', event: 'access-keys-invalid', file, error: (error as Error).message, keys: this.keys.size });
      return;
    }
    if (!forced && text === this.text) return;
    this.text = text;
    try {
      this.keys = this.merge(parseAccessKeyFile(text, file, this.reserved));
      this.options.log({ event: 'access-keys-reloaded', file, keys: this.keys.size });
    } catch (error) {
      if (!(error instanceof AccessKeysError)) throw error;
      // The last good keys stay: a half-written or mistyped file must not lock everybody out.
      this.options.log({ level: 'error', event: 'access-keys-invalid', file, error: error.message, keys: this.keys.size });
    }
  }

  private async read(file: string): Promise<string> {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new AccessKeysError(`${file}: cannot read the access-key file (${(error as { code?: string }).code ?? String(error)})`);
    }
  }

  private merge(fromFile: readonly AccessKey[]): ReadonlyMap<string, AccessKey> {
    return new Map([...this.options.fixed, ...fromFile].map((key) => [key.accessKeyId, key]));
  }
}
