import type { EncryptionChange, ShardRecord, StreamRecord } from '@riffle/storage';

/** The change a record of `shard` at `offset` was written under; undefined before the first. */
export function encryptionChangeAt(history: readonly EncryptionChange[], shard: ShardRecord, offset: number): EncryptionChange | undefined {
  let found: EncryptionChange | undefined;
  for (const change of history) {
    const start = change.startOffsets[shard.index];
    const applies = start === undefined ? shard.createdAt >= change.since : offset >= start;
    if (applies) found = change;
  }
  return found;
}

/** Whether records written under `change` are stored encrypted: KMS changes made before encryption at rest are not. */
export function storedEncrypted(change: EncryptionChange | undefined): boolean {
  return change?.type === 'KMS' && change.dataKeyId !== undefined;
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
