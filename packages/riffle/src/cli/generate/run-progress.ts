import type { Writable } from 'node:stream';
import { formatDuration } from './duration.js';
import type { RunClock } from './run-clock.js';

export interface ProgressCounts {
  readonly generated: number;
  readonly sent: number;
  readonly failed: number;
}

const rateOf = (count: number, ms: number) => (ms > 0 ? (count * 1000) / ms : 0);
const perSecond = (value: number) => (value >= 100 ? Math.round(value).toString() : value.toFixed(1));

/**
 * The progress line on stderr: on a terminal rewritten in place (`\r`) a few times a second, otherwise one line every
 * interval (logs and CI keep every line). Driven by the run's loop and clock, never by a timer of its own.
 */
export class RunProgress {
  private readonly startMs: number;
  private lastMs: number;
  private shown = false;

  constructor(
    private readonly stderr: Writable & { isTTY?: boolean },
    private readonly clock: RunClock,
    private readonly intervalMs: number,
    private readonly what: string,
  ) {
    this.startMs = clock.now();
    this.lastMs = this.startMs;
  }

  get elapsedMs(): number {
    return this.clock.now() - this.startMs;
  }

  private get tty(): boolean {
    return this.stderr.isTTY === true;
  }

  line(counts: ProgressCounts): string {
    const elapsed = this.elapsedMs;
    const failed = counts.failed > 0 ? `, ${counts.failed} failed` : '';
    return `riffle generate: ${counts.sent} ${this.what}${failed} in ${formatDuration(elapsed)} (${perSecond(rateOf(counts.sent, elapsed))} records/s)`;
  }

  update(counts: ProgressCounts): void {
    const now = this.clock.now();
    if (now - this.lastMs < (this.tty ? Math.min(this.intervalMs, 250) : this.intervalMs)) return;
    this.lastMs = now;
    if (this.tty) {
      this.stderr.write(`\r${this.line(counts)}\x1b[K`);
      this.shown = true;
    } else this.stderr.write(`${this.line(counts)}\n`);
  }

  /** Clears an in-place line and prints the summary. */
  finish(summary: string): void {
    if (this.shown) this.stderr.write('\r\x1b[K');
    this.stderr.write(`${summary}\n`);
  }
}

export const summaryRate = (count: number, ms: number): string => `${perSecond(rateOf(count, ms))} records/s`;
