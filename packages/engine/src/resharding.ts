import type { ShardRecord } from '@riffle/storage';
import { initialHashRanges } from './hash-key.js';

/** The shards of a stream after a reshard, and the next free shard index. */
export interface ReshardResult {
  readonly shards: ShardRecord[];
  readonly nextShardIndex: number;
}

/** Where each shard a reshard closes ends: its log's endOffset at the moment of closing. */
export type EndOffsetOf = (shardIndex: number) => number;

function byHashKey(a: ShardRecord, b: ShardRecord): number {
  return a.hashKeyStart < b.hashKeyStart ? -1 : a.hashKeyStart > b.hashKeyStart ? 1 : 0;
}

export function openShards(shards: readonly ShardRecord[]): ShardRecord[] {
  return shards.filter((shard) => shard.closedAt === undefined).sort(byHashKey);
}

/**
 * Applies splits and merges to a shard list, in order, as AWS records them: every closed shard gets its
 * end, every child its parents. Intermediate shards (a child that a later step closes again) stay in the
 * list, closed with no records, as AWS's short-lived intermediate shards of UpdateShardCount do.
 */
class ShardListEditor {
  readonly #shards = new Map<number, ShardRecord>();
  readonly #created = new Set<number>();
  #nextIndex: number;

  constructor(
    shards: readonly ShardRecord[],
    nextShardIndex: number,
    private readonly now: number,
    private readonly endOffsetOf: EndOffsetOf,
  ) {
    for (const shard of shards) this.#shards.set(shard.index, shard);
    this.#nextIndex = nextShardIndex;
  }

  /** Closes `index` and creates [start, key-1] and [key, end]; returns the two children. */
  split(index: number, newStartingHashKey: bigint): [ShardRecord, ShardRecord] {
    const parent = this.#close(index);
    const low = this.#create({ parentIndex: index, hashKeyStart: parent.hashKeyStart, hashKeyEnd: newStartingHashKey - 1n });
    const high = this.#create({ parentIndex: index, hashKeyStart: newStartingHashKey, hashKeyEnd: parent.hashKeyEnd });
    return [low, high];
  }

  /** Closes both and creates their union, parent `index`, adjacent parent `adjacentIndex`. */
  merge(index: number, adjacentIndex: number): ShardRecord {
    const first = this.#close(index);
    const second = this.#close(adjacentIndex);
    const [lower, upper] = first.hashKeyStart < second.hashKeyStart ? [first, second] : [second, first];
    return this.#create({
      parentIndex: index,
      adjacentParentIndex: adjacentIndex,
      hashKeyStart: lower.hashKeyStart,
      hashKeyEnd: upper.hashKeyEnd,
    });
  }

  result(): ReshardResult {
    return { shards: [...this.#shards.values()].sort((a, b) => a.index - b.index), nextShardIndex: this.#nextIndex };
  }

  #close(index: number): ShardRecord {
    const shard = this.#shards.get(index);
    if (!shard || shard.closedAt !== undefined) throw new Error(`RIFFLE_ERR_RESHARD: shard ${index} is not open`);
    // A shard created by this same reshard never took a write: it ends where it began.
    const closedEndOffset = this.#created.has(index) ? 0 : this.endOffsetOf(index);
    const closed: ShardRecord = { ...shard, closedAt: this.now, closedEndOffset };
    this.#shards.set(index, closed);
    return closed;
  }

  #create(fields: Pick<ShardRecord, 'parentIndex' | 'adjacentParentIndex' | 'hashKeyStart' | 'hashKeyEnd'>): ShardRecord {
    const shard: ShardRecord = { index: this.#nextIndex++, ...fields, createdAt: this.now };
    this.#shards.set(shard.index, shard);
    this.#created.add(shard.index);
    return shard;
  }
}

export function splitShard(
  shards: readonly ShardRecord[],
  nextShardIndex: number,
  shardIndex: number,
  newStartingHashKey: bigint,
  now: number,
  endOffsetOf: EndOffsetOf,
): ReshardResult {
  const editor = new ShardListEditor(shards, nextShardIndex, now, endOffsetOf);
  editor.split(shardIndex, newStartingHashKey);
  return editor.result();
}

export function mergeShards(
  shards: readonly ShardRecord[],
  nextShardIndex: number,
  shardIndex: number,
  adjacentShardIndex: number,
  now: number,
  endOffsetOf: EndOffsetOf,
): ReshardResult {
  const editor = new ShardListEditor(shards, nextShardIndex, now, endOffsetOf);
  editor.merge(shardIndex, adjacentShardIndex);
  return editor.result();
}

/**
 * UpdateShardCount's UNIFORM_SCALING: ends with `target` open shards of (near-)equal ranges, the ranges
 * CreateStream would give, reached through splits and merges only, so that every shard has at most a
 * parent and an adjacent parent as on AWS. First every open shard is split at each target boundary inside
 * it; then the pieces inside each target range are merged left to right. Open shards that already match a
 * target range are left alone.
 */
export function scaleUniformly(
  shards: readonly ShardRecord[],
  nextShardIndex: number,
  target: number,
  now: number,
  endOffsetOf: EndOffsetOf,
): ReshardResult {
  const editor = new ShardListEditor(shards, nextShardIndex, now, endOffsetOf);
  const ranges = initialHashRanges(target);
  const boundaries = ranges.slice(1).map((range) => range.start);
  const pieces: ShardRecord[] = [];
  for (const shard of openShards(shards)) {
    let current = shard;
    for (const boundary of boundaries) {
      if (boundary <= current.hashKeyStart || boundary > current.hashKeyEnd) continue;
      const [low, high] = editor.split(current.index, boundary);
      pieces.push(low);
      current = high;
    }
    pieces.push(current);
  }
  let piece = 0;
  for (const range of ranges) {
    let merged = pieces[piece++]!;
    while (piece < pieces.length && pieces[piece]!.hashKeyEnd <= range.end) {
      merged = editor.merge(merged.index, pieces[piece++]!.index);
    }
    if (merged.hashKeyStart !== range.start || merged.hashKeyEnd !== range.end) {
      throw new Error('RIFFLE_ERR_RESHARD: uniform scaling left a gap');
    }
  }
  return editor.result();
}

/** Widest first, then lowest index: the order in which shards of equal heat are split. */
export function widestFirst(a: ShardRecord, b: ShardRecord): number {
  const widthA = a.hashKeyEnd - a.hashKeyStart;
  const widthB = b.hashKeyEnd - b.hashKeyStart;
  return widthA > widthB ? -1 : widthA < widthB ? 1 : a.index - b.index;
}

/**
 * Adds `count` open shards by splitting open shards in halves: the hottest first (by `heat`, then widest), then,
 * once each has been split, their children, widest first. One editor for the whole change, so that adding
 * thousands of shards stays O(n log n).
 */
export function splitHottest(
  shards: readonly ShardRecord[],
  nextShardIndex: number,
  count: number,
  heat: (shardIndex: number) => number,
  now: number,
  endOffsetOf: EndOffsetOf,
): ReshardResult {
  const editor = new ShardListEditor(shards, nextShardIndex, now, endOffsetOf);
  const splittable = (shard: ShardRecord) => shard.hashKeyEnd - shard.hashKeyStart >= 2n;
  let queue = openShards(shards)
    .filter(splittable)
    .sort((a, b) => heat(b.index) - heat(a.index) || widestFirst(a, b));
  let children: ShardRecord[] = [];
  let position = 0;
  for (let added = 0; added < count; added++) {
    if (position === queue.length) {
      if (children.length === 0) break;
      queue = children.sort(widestFirst);
      children = [];
      position = 0;
    }
    const shard = queue[position++]!;
    const middle = shard.hashKeyStart + (shard.hashKeyEnd - shard.hashKeyStart + 1n) / 2n;
    for (const child of editor.split(shard.index, middle)) if (splittable(child)) children.push(child);
  }
  return editor.result();
}
