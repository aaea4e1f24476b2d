import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Base offsets of the `<20 digits>.log` files in a shard directory, in order. */
export function segmentBases(shardDir: string): number[] {
  return readdirSync(shardDir)
    .map((name) => /^(\d{20})\.log$/.exec(name)?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export function segmentPath(shardDir: string, base: number, ext: 'log' | 'index' | 'timeindex'): string {
  return join(shardDir, `${String(base).padStart(20, '0')}.${ext}`);
}

export interface FrameAt {
  readonly position: number;
  readonly length: number;
  readonly offset: number;
}

/**
 * Where each frame of an intact .log file starts, read from the frame headers (u32 length, offset at byte 8),
 * independently of the store's own reader.
 */
export function framesOf(logPath: string): FrameAt[] {
  const bytes = readFileSync(logPath);
  const frames: FrameAt[] = [];
  for (let at = 0; at + 28 <= bytes.length && frames.length < 1_000_000; ) {
    const length = bytes.readUInt32LE(at);
    if (length < 28 || at + length > bytes.length) break;
    frames.push({ position: at, length, offset: bytes.readUInt32LE(at + 8) + bytes.readUInt32LE(at + 12) * 2 ** 32 });
    at += length;
  }
  return frames;
}

/** The (relative offset, position) entries of a .index file. */
export function indexEntries(indexPath: string): { relativeOffset: number; position: number }[] {
  const bytes = readFileSync(indexPath);
  const entries = [];
  for (let at = 0; at + 8 <= bytes.length; at += 8) {
    entries.push({ relativeOffset: bytes.readUInt32LE(at), position: bytes.readUInt32LE(at + 4) });
  }
  return entries;
}
