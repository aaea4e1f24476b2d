/** What the file store reports about itself: damage found, files repaired, writes that failed. */
export interface StorageEvent {
  readonly level: 'error' | 'warn' | 'info';
  readonly event: string;
  readonly file?: string;
  readonly position?: number;
  readonly [detail: string]: unknown;
}

export type StorageReporter = (event: StorageEvent) => void;
