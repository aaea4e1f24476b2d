import { crc32c } from './crc32c.js';

/**
 * A segment's sparse `.timeindex`: (the greatest arrival time among the segment's records up to an offset,
 * that offset relative to the base), added beside offset-index entries whenever that maximum grew, and once
 * more when the segment is sealed. 16 bytes each: f64 LE time, u32 LE relative offset, u32 LE CRC-32C of the
 * first 12, so a damaged entry is found and the index rebuilt from the log rather than trusted.
 */
export const TIME_INDEX_ENTRY_BYTES = 16;

export class TimeIndex {
  readonly times: number[] = [];
  readonly relativeOffsets: number[] = [];

  get length(): number {
    return this.times.length;
  }

  get lastTime(): number {
    return this.times.length > 0 ? this.times[this.times.length - 1]! : -Infinity;
  }

  /** Adds the entry if it raises the maximum; entries stay strictly increasing in both fields. */
  add(time: number, relativeOffset: number): boolean {
    const last = this.length - 1;
    if (last >= 0 && (time <= this.times[last]! || relativeOffset <= this.relativeOffsets[last]!)) return false;
    this.times.push(time);
    this.relativeOffsets.push(relativeOffset);
    return true;
  }

  /** The first entry whose time is >= time, or length when none is. */
  firstAtOrAfter(time: number): number {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.times[mid]! >= time) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  truncate(length: number): void {
    this.times.length = Math.min(length, this.times.length);
    this.relativeOffsets.length = this.times.length;
  }

  /** Drops entries past a relative offset. */
  truncateAfter(relativeOffset: number): void {
    let keep = this.length;
    while (keep > 0 && this.relativeOffsets[keep - 1]! > relativeOffset) keep--;
    this.truncate(keep);
  }

  encode(from = 0): Buffer {
    const bytes = Buffer.allocUnsafe((this.length - from) * TIME_INDEX_ENTRY_BYTES);
    for (let i = from; i < this.length; i++) {
      const at = (i - from) * TIME_INDEX_ENTRY_BYTES;
      bytes.writeDoubleLE(this.times[i]!, at);
      bytes.writeUInt32LE(this.relativeOffsets[i]!, at + 8);
      bytes.writeUInt32LE(crc32c(bytes, at, at + 12), at + 12);
    }
    return bytes;
  }

  /** The longest prefix of intact, strictly increasing entries. */
  static decode(bytes: Buffer): TimeIndex {
    const index = new TimeIndex();
    const count = Math.floor(bytes.length / TIME_INDEX_ENTRY_BYTES);
    for (let i = 0; i < count; i++) {
      const at = i * TIME_INDEX_ENTRY_BYTES;
      if (crc32c(bytes, at, at + 12) !== bytes.readUInt32LE(at + 12)) break;
      if (!index.add(bytes.readDoubleLE(at), bytes.readUInt32LE(at + 8))) break;
    }
    return index;
  }
}
