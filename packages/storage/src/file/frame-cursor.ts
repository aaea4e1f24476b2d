import type { StoredRecord } from '../stored-record.js';
import type { FileIo } from './file-io.js';
import { checkFrame, decodeFrame, frameBudgetBytes, FRAME_HEADER_BYTES, type FrameCheck } from './record-frame.js';

const EMPTY = Buffer.alloc(0);

export type CursorCheck = Exclude<FrameCheck, { readonly kind: 'short' }> | { readonly kind: 'end' };

/**
 * Walks the frames of one segment file between two positions, reading it in chunks. Records decoded from a
 * chunk are views of it, so a chunk lives as long as any record read from it.
 */
export class FrameCursor {
  #buffer: Buffer = EMPTY;
  #bufferStart = 0;
  #bufferLength = 0;

  constructor(
    private readonly io: FileIo,
    private readonly fd: number,
    readonly path: string,
    /** Where the next frame starts. */
    public position: number,
    /** No frame is read at or past this position. */
    readonly end: number,
    private readonly chunkBytes: number,
  ) {}

  /** Checks the frame at `position`, reading as much of the file as it needs. */
  async check(verifyCrc = true): Promise<CursorCheck> {
    if (this.position >= this.end) return { kind: 'end' };
    let check = this.#checkBuffered(verifyCrc);
    // Twice at most: once for the header, once more for a frame larger than a chunk.
    for (let fills = 0; check.kind === 'short'; fills++) {
      if (fills === 2) return { kind: 'corrupt', reason: 'file ends inside a frame' };
      if (this.position + check.needed > this.end) return { kind: 'corrupt', reason: 'frame runs past the end of the data' };
      await this.#fill(Math.max(this.chunkBytes, check.needed));
      check = this.#checkBuffered(verifyCrc);
    }
    return check as CursorCheck;
  }

  /** The frame at `position`, which check() has just accepted with this length. */
  decode(length: number): StoredRecord {
    return decodeFrame(this.#buffer, this.position - this.#bufferStart, length);
  }

  /** Data plus partition key bytes of the accepted frame at `position`, as read budgets count them. */
  budgetBytes(length: number): number {
    return frameBudgetBytes(this.#buffer, this.position - this.#bufferStart, length);
  }

  #checkBuffered(verifyCrc: boolean): FrameCheck {
    const at = this.position - this.#bufferStart;
    if (at < 0 || at >= this.#bufferLength) return { kind: 'short', needed: FRAME_HEADER_BYTES };
    return checkFrame(this.#buffer, at, this.#bufferLength, verifyCrc);
  }

  async #fill(bytes: number): Promise<void> {
    const length = Math.min(bytes, this.end - this.position);
    const buffer = Buffer.allocUnsafe(length);
    this.#bufferLength = await this.io.read(this.fd, this.path, buffer, length, this.position);
    this.#buffer = buffer;
    this.#bufferStart = this.position;
  }

  /**
   * From `position`, the next position where an intact frame with an offset above `afterOffset` starts, or
   * undefined: a byte-by-byte search, used only to tell damage in the middle of a file from a torn tail.
   */
  async findNextFrame(afterOffset: number): Promise<number | undefined> {
    for (let candidate = this.position; candidate < this.end; candidate++) {
      this.position = candidate;
      const check = await this.#checkAt();
      if (check.kind === 'frame' && check.offset > afterOffset) return candidate;
    }
    return undefined;
  }

  async #checkAt(): Promise<FrameCheck> {
    const at = this.position - this.#bufferStart;
    if (at < 0 || this.#bufferLength - at < FRAME_HEADER_BYTES) {
      if (this.end - this.position < FRAME_HEADER_BYTES) return { kind: 'corrupt', reason: 'too short' };
      await this.#fill(this.chunkBytes);
    }
    const check = checkFrame(this.#buffer, this.position - this.#bufferStart, this.#bufferLength, true);
    if (check.kind !== 'short') return check;
    if (this.position + check.needed > this.end) return { kind: 'corrupt', reason: 'too long' };
    await this.#fill(Math.max(this.chunkBytes, check.needed));
    return checkFrame(this.#buffer, 0, this.#bufferLength, true);
  }
}
