/** One line of input: its bytes without the `\n` (or `\r\n`) that ended it, and its 1-based number. */
export interface InputLine {
  readonly bytes: Buffer;
  readonly lineNumber: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

const withoutCarriageReturn = (line: Buffer): Buffer => (line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN ? line.subarray(0, -1) : line);

/**
 * Splits a byte stream into lines as it arrives, never decoding it (binary safe) and never holding more than the
 * current unfinished line; a last line without a newline is a line too.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<InputLine> {
  let pending: Buffer[] = [];
  let lineNumber = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let newline = bytes.indexOf(NEWLINE, start); newline !== -1; newline = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, newline);
      const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      yield { bytes: withoutCarriageReturn(line), lineNumber: ++lineNumber };
      start = newline + 1;
    }
    if (start < bytes.length) pending.push(bytes.subarray(start));
  }
  if (pending.length > 0) yield { bytes: withoutCarriageReturn(Buffer.concat(pending)), lineNumber: ++lineNumber };
}
