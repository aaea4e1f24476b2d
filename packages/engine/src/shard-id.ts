/** `shardId-` and the index zero-padded to 12 digits. */
export function shardIdOf(index: number): string {
  return 'shardId-' + String(index).padStart(12, '0');
}

/**
 * The index a client's shard id names, read leniently as kinesalite does (resolveShardId): `shardId-000000000001`,
 * `shardId-1` and `1` all name shard 1. Undefined when it names none.
 */
export function resolveShardIndex(shardId: string): number | undefined {
  const digits = shardId.split('-')[1] || shardId;
  if (!/^\d+$/.test(digits)) return undefined;
  const index = Number(digits);
  return index <= 2_147_483_647 ? index : undefined;
}
