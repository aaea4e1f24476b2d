/**
 * A segment's sparse `.index`: (offset relative to the segment's base, byte position of that record's frame),
 * one entry every `indexIntervalBytes` of log, 8 bytes each (u32 LE, u32 LE). Entries are self-checking: the
 * frame they point at carries its own offset, so a stale or damaged entry is noticed where it is used.
 */
export const OFFSET_INDEX_ENTRY_BYTES = 8;

export class OffsetIndex {
  readonly relativeOffsets: number[] = [];
  readonly positions: number[] = [];

  get length(): number {
    return this.positions.length;
  }

  add(relativeOffset: number, position: number): void {
    this.relativeOffsets.push(relativeOffset);
    this.positions.push(position);
  }

  /** The entry with the greatest relative offset <= relativeOffset, or -1. */
  floor(relativeOffset: number): number {
    let low = 0;
    let high = this.relativeOffsets.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (this.relativeOffsets[mid]! <= relativeOffset) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  }

  /** The first entry whose position is after `position`, or -1. */
  firstAfterPosition(position: number): number {
    let low = 0;
    let high = this.positions.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.positions[mid]! > position) high = mid;
      else low = mid + 1;
    }
    return low < this.positions.length ? low : -1;
  }

  truncate(length: number): void {
    this.relativeOffsets.length = Math.min(length, this.relativeOffsets.length);
    this.positions.length = this.relativeOffsets.length;
  }

  /** Entries [from, length) as file bytes. */
  encode(from = 0): Buffer {
    const bytes = Buffer.allocUnsafe((this.length - from) * OFFSET_INDEX_ENTRY_BYTES);
    for (let i = from; i < this.length; i++) {
      const at = (i - from) * OFFSET_INDEX_ENTRY_BYTES;
      bytes.writeUInt32LE(this.relativeOffsets[i]!, at);
      bytes.writeUInt32LE(this.positions[i]!, at + 4);
    }
    return bytes;
  }

  /** The longest prefix of file bytes that is strictly increasing in both fields and points inside the log. */
  static decode(bytes: Buffer, logSize: number): OffsetIndex {
    const index = new OffsetIndex();
    const count = Math.floor(bytes.length / OFFSET_INDEX_ENTRY_BYTES);
    for (let i = 0; i < count; i++) {
      const relativeOffset = bytes.readUInt32LE(i * OFFSET_INDEX_ENTRY_BYTES);
      const position = bytes.readUInt32LE(i * OFFSET_INDEX_ENTRY_BYTES + 4);
      const last = index.length - 1;
      const increasing = last < 0 || (relativeOffset > index.relativeOffsets[last]! && position > index.positions[last]!);
      if (!increasing || position >= logSize) break;
      index.add(relativeOffset, position);
    }
    return index;
  }
}
