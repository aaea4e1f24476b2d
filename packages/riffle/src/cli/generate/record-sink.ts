import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { GeneratedRecord } from './generated-record.js';
import type { RecordSender, SendStats } from './record-sender.js';

/** Where generated records go: a stream (through the sender) or printed (--dry-run, --output). */
export interface RecordSink {
  write(records: readonly GeneratedRecord[], signal?: AbortSignal): Promise<void>;
  readonly stats: Readonly<Pick<SendStats, 'sent' | 'failed'>> & Partial<SendStats>;
}

export const streamSink = (sender: RecordSender): RecordSink => ({
  write: (records, signal) => sender.send(records, signal),
  stats: sender.stats,
});

/** One record a line, its data as generated (a record already ending in a newline, as templates' do, gets no other). */
export function printSink(out: Writable): RecordSink {
  const stats = { sent: 0, failed: 0 };
  return {
    stats,
    async write(records) {
      let text = '';
      for (const record of records) text += record.data.endsWith('\n') ? record.data : `${record.data}\n`;
      stats.sent += records.length;
      if (!out.write(text)) await once(out, 'drain');
    },
  };
}
