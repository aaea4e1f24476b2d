/** A record as tail prints it. */
export interface TailRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  /** Absent for records written without one (AUTO record distribution). */
  readonly partitionKey: string | undefined;
  readonly approximateArrivalTimestamp: Date | undefined;
  readonly data: Uint8Array;
}

export type TailFormat = 'text' | 'json' | 'hex';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The data as UTF-8 text, or undefined when it is not valid UTF-8. */
export function utf8Text(data: Uint8Array): string | undefined {
  try {
    return utf8.decode(data);
  } catch {
    return undefined;
  }
}

const byteEscape = (byte: number) => `\\x${byte.toString(16).padStart(2, '0')}`;
// Control characters would break the one-record-a-line layout (newlines) or the terminal (escape sequences); tab is kept.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/g;
const escapeControls = (text: string) => text.replace(CONTROL, (c) => byteEscape(c.charCodeAt(0)));

/** Bytes a UTF-8 sequence starting with this lead byte takes; 0 for a byte that cannot start one. */
const sequenceLength = (lead: number) => (lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0);

/**
 * `--format text`: the data as UTF-8 on one line. Control characters other than tab, and every byte that is not
 * part of valid UTF-8, are written `\xNN`, so one record is always one line (for exact bytes: json or hex).
 */
export function textLine(record: TailRecord): string {
  const whole = utf8Text(record.data);
  if (whole !== undefined) return escapeControls(whole);
  let line = '';
  for (let i = 0; i < record.data.length; ) {
    const length = sequenceLength(record.data[i]!);
    const piece = length === 0 ? undefined : utf8Text(record.data.subarray(i, i + length));
    if (piece === undefined || length === 0 || i + length > record.data.length) {
      line += byteEscape(record.data[i]!);
      i += 1;
    } else {
      line += escapeControls(piece);
      i += length;
    }
  }
  return line;
}

/**
 * `--format json`: one object a line. `data` is the text when the bytes are valid UTF-8 (`encoding` "utf-8"),
 * else their base64 (`encoding` "base64").
 */
export function jsonLine(record: TailRecord): string {
  const text = utf8Text(record.data);
  return JSON.stringify({
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    partitionKey: record.partitionKey ?? null,
    approximateArrivalTimestamp: record.approximateArrivalTimestamp?.toISOString() ?? null,
    data: text ?? Buffer.from(record.data).toString('base64'),
    encoding: text === undefined ? 'base64' : 'utf-8',
  });
}

const hexByte = (byte: number) => byte.toString(16).padStart(2, '0');
const printable = (byte: number) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.');

/**
 * `--format hex`: a header line (shard, sequence number, partition key, size), then the bytes as `hexdump -C`
 * shows them: offset, 16 bytes in two groups of 8, the printable ASCII between bars.
 */
export function hexLines(record: TailRecord): string[] {
  const size = record.data.length;
  const lines = [`${record.shardId} ${record.sequenceNumber} key ${record.partitionKey === undefined ? '(none)' : JSON.stringify(record.partitionKey)} ${size} byte${size === 1 ? '' : 's'}`];
  for (let offset = 0; offset < size; offset += 16) {
    const row = [...record.data.subarray(offset, offset + 16)];
    const left = row.slice(0, 8).map(hexByte).join(' ').padEnd(23);
    const right = row.slice(8).map(hexByte).join(' ').padEnd(23);
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${left}  ${right}  |${row.map(printable).join('')}|`);
  }
  return lines;
}

/** The lines of one record in the format. */
export function formatRecord(record: TailRecord, format: TailFormat): string[] {
  return format === 'text' ? [textLine(record)] : format === 'json' ? [jsonLine(record)] : hexLines(record);
}
