import type { StorageEvent } from '@riffle/storage';

/** Collects what the store reports. */
export function eventLog(): { events: StorageEvent[]; report: (event: StorageEvent) => void; named: (name: string) => StorageEvent[] } {
  const events: StorageEvent[] = [];
  return { events, report: (event) => events.push(event), named: (name) => events.filter((event) => event.event === name) };
}
