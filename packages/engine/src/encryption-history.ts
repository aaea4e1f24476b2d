import type { EncryptionChange, ShardRecord, StreamRecord } from '@riffle/storage';
import type { EncryptionType } from './stream-snapshot.js';

/** The EncryptionType a record of `shard` at `offset` was written under. */
export function encryptionAt(history: readonly EncryptionChange[], shard: ShardRecord, offset: number): EncryptionType {
  let type: EncryptionType = 'NONE';
  for (const change of history) {
    const start = change.startOffsets[shard.index];
    const applies = start === undefined ? shard.createdAt >= change.since : offset >= start;
    if (applies) type = change.type;
  }
  return type;
}

/**
 * The history worth keeping at `now`: a change whose successor came before the retention period began labels
 * no record that can still be read, so it goes.
 */
export function retainedEncryptionHistory(stream: StreamRecord, now: number): EncryptionChange[] {
  const history = stream.encryptionHistory ?? [];
  const cutoff = now - stream.retentionHours * 3_600_000;
  let first = 0;
  while (first + 1 < history.length && history[first + 1]!.since < cutoff) first++;
  return history.slice(first);
}
