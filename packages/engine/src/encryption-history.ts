import type { EncryptionChange, ShardRecord } from '@riffle/storage';
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
