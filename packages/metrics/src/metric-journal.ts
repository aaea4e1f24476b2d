import { appendFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { seriesKeyOf, type Dimensions, type MetricIdentity, type MetricRegistry } from './metric-registry.js';
import { MINUTE_MS } from './minute-series.js';

const HOUR_MS = 60 * MINUTE_MS;
const FILE_PATTERN = /^minutes-(\d{4})(\d{2})(\d{2})T(\d{2})\.jsonl$/;

/**
 * A journal line: the series it names for the first time in its file (`d`, by id) and the minutes that changed
 * (`p`: [series id, minute start, sampleCount, sum, minimum, maximum]).
 */
interface JournalLine {
  readonly d?: readonly (readonly [number, string, string, Dimensions])[];
  readonly p: readonly (readonly [number, number, number, number, number, number])[];
}

export interface MetricJournalOptions {
  /** The directory of the journal's files (created if missing). */
  readonly directory: string;
  readonly registry: MetricRegistry;
  /** Minutes kept: older files are deleted. */
  readonly retentionMinutes: number;
}

/**
 * Keeps a registry's per-minute aggregates across restarts: each flush appends the minutes that changed since the
 * last one to an hourly file (`minutes-YYYYMMDDTHH.jsonl`), and opening replays the files in order, a minute's
 * later line replacing its earlier one. Only changes are written, so a flush costs what the last minute did; files
 * older than the retention are deleted whole. A crash loses at most what changed since the last flush, and a torn
 * last line is skipped.
 */
export class MetricJournal {
  readonly #options: MetricJournalOptions;
  /** The file being appended to, and the ids of the series it has declared. */
  #file: string | undefined;
  #ids = new Map<string, number>();
  #flushing: Promise<void> = Promise.resolve();

  private constructor(options: MetricJournalOptions) {
    this.#options = options;
  }

  /** Replays the journal into the registry; returns the journal, ready to flush. */
  static async open(options: MetricJournalOptions, now: number): Promise<MetricJournal> {
    await mkdir(options.directory, { recursive: true });
    const journal = new MetricJournal(options);
    const cutoff = now - options.retentionMinutes * MINUTE_MS;
    for (const name of await journal.#files()) {
      const text = await readFile(join(options.directory, name), 'utf8');
      const series = new Map<number, MetricIdentity>();
      for (const raw of text.split('\n')) {
        const line = parseLine(raw);
        if (line === undefined) continue;
        for (const [id, namespace, metric, dimensions] of line.d ?? []) series.set(id, { namespace, name: metric, dimensions });
        for (const [id, minute, sampleCount, sum, minimum, maximum] of line.p) {
          const identity = series.get(id);
          if (identity === undefined || minute < cutoff) continue;
          options.registry.restoreMinute(identity, minute, { sampleCount, sum, minimum, maximum });
        }
      }
    }
    // What was replayed is on disk already.
    options.registry.drainChanges();
    await journal.#prune(now);
    return journal;
  }

  /** Appends what changed since the last flush. Flushes run one after another. */
  flush(now: number): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#flush(now));
    return this.#flushing;
  }

  async #flush(now: number): Promise<void> {
    const changes = this.#options.registry.drainChanges();
    const file = fileNameOf(now);
    if (file !== this.#file) {
      this.#file = file;
      this.#ids = new Map();
      await this.#prune(now);
    }
    if (changes.length === 0) return;
    const declared: (readonly [number, string, string, Dimensions])[] = [];
    const points: (readonly [number, number, number, number, number, number])[] = [];
    for (const { identity, minutes } of changes) {
      const key = seriesKeyOf(identity);
      let id = this.#ids.get(key);
      if (id === undefined) {
        id = this.#ids.size;
        this.#ids.set(key, id);
        declared.push([id, identity.namespace, identity.name, identity.dimensions]);
      }
      for (const { timestamp, statistics: s } of minutes) points.push([id, timestamp, s.sampleCount, s.sum, s.minimum, s.maximum]);
    }
    const line: JournalLine = declared.length > 0 ? { d: declared, p: points } : { p: points };
    await appendFile(join(this.#options.directory, file), `${JSON.stringify(line)}\n`);
  }

  async #files(): Promise<string[]> {
    const names = await readdir(this.#options.directory);
    return names.filter((name) => FILE_PATTERN.test(name)).sort();
  }

  /** Deletes the files whose every minute is older than the retention (a file holds flushes of its hour). */
  async #prune(now: number): Promise<void> {
    const cutoff = now - this.#options.retentionMinutes * MINUTE_MS - HOUR_MS;
    for (const name of await this.#files()) {
      const hour = hourOfFile(name);
      if (hour !== undefined && hour + HOUR_MS < cutoff) await rm(join(this.#options.directory, name), { force: true });
    }
  }
}

function parseLine(raw: string): JournalLine | undefined {
  if (raw.trim() === '') return undefined;
  try {
    const line = JSON.parse(raw) as JournalLine;
    return Array.isArray(line.p) ? line : undefined;
  } catch {
    // A line torn by a crash mid-append.
    return undefined;
  }
}

function fileNameOf(time: number): string {
  const iso = new Date(Math.floor(time / HOUR_MS) * HOUR_MS).toISOString();
  return `minutes-${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}.jsonl`;
}

function hourOfFile(name: string): number | undefined {
  const match = FILE_PATTERN.exec(name);
  if (!match) return undefined;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]));
}
