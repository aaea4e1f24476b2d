import { isUtf8 } from 'node:buffer';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { ChannelRecord, ChannelS3StorageRecord } from '@riffle/storage';
import type { SourceRecord } from './channel-source.js';

export interface BufferedRecord extends SourceRecord {
  readonly shardId: string;
}

/** What to write for one batch: the records' object, and the dead-letter object for records that failed validation. */
export interface BatchContent {
  readonly delivered?: { readonly bytes: Uint8Array; readonly firstArrival: number };
  readonly deadLetters?: { readonly bytes: Uint8Array; readonly firstArrival: number };
}

const NEWLINE = 0x0a;
const gzip = promisify(zlib.gzip);
/** zlib's Zstandard came with Node 22.15 / 23.8; on older Node a ZSTD channel cannot be delivered. */
const zstd = (zlib as unknown as { zstdCompress?: typeof zlib.gzip }).zstdCompress;
const zstdAsync = zstd ? promisify(zstd) : undefined;

export function compressionAvailable(type: ChannelS3StorageRecord['compressionType']): boolean {
  return type !== 'ZSTD' || zstdAsync !== undefined;
}

/** The `!{extension}` of each compression type (Riffle's choice: the page listing the variable gives no values). */
export function extensionOf(type: ChannelS3StorageRecord['compressionType']): string {
  return type === 'GZIP' ? '.gz' : type === 'ZSTD' ? '.zst' : '';
}

/**
 * Why a record cannot be delivered in this format, or undefined. STRING records must be UTF-8 and JSON records
 * JSON; the others go to the dead-letter queue (Developer Guide, "How Amazon S3 delivery works": Validate).
 */
function invalidity(format: ChannelRecord['stream']['recordFormat'], data: Uint8Array): string | undefined {
  if (format === 'BYTE_ARRAY') return undefined;
  if (!isUtf8(data)) return 'RecordNotUtf8';
  if (format === 'STRING') return undefined;
  try {
    JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
    return undefined;
  } catch {
    return 'RecordNotJson';
  }
}

/**
 * Records are delivered as written: BYTE_ARRAY records back to back; JSON and STRING records each followed by a
 * newline unless they already end with one, so every record is one line (Riffle's choice; AWS documents only that
 * records keep their source format). Dead letters are JSON lines, one per record, with the record's data in base64.
 */
export async function buildBatch(channel: ChannelRecord, records: readonly BufferedRecord[]): Promise<BatchContent> {
  const format = channel.stream.recordFormat;
  const good: Uint8Array[] = [];
  const bad: string[] = [];
  let goodFirst = Infinity;
  let badFirst = Infinity;
  for (const record of records) {
    const problem = invalidity(format, record.data);
    if (problem === undefined) {
      good.push(record.data);
      if (format !== 'BYTE_ARRAY' && record.data[record.data.byteLength - 1] !== NEWLINE) good.push(Buffer.of(NEWLINE));
      goodFirst = Math.min(goodFirst, record.arrivalTime);
    } else {
      bad.push(
        `${JSON.stringify({
          errorCode: problem,
          shardId: record.shardId,
          sequenceNumber: record.sequenceNumber,
          partitionKey: record.partitionKey,
          approximateArrivalTimestamp: record.arrivalTime,
          rawData: Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength).toString('base64'),
        })}\n`,
      );
      badFirst = Math.min(badFirst, record.arrivalTime);
    }
  }
  const content: { delivered?: BatchContent['delivered']; deadLetters?: BatchContent['deadLetters'] } = {};
  if (good.length > 0) content.delivered = { bytes: await compress(channel, Buffer.concat(good)), firstArrival: goodFirst };
  if (bad.length > 0) content.deadLetters = { bytes: Buffer.from(bad.join(''), 'utf8'), firstArrival: badFirst };
  return content;
}

async function compress(channel: ChannelRecord, bytes: Buffer): Promise<Uint8Array> {
  if (channel.destination.type !== 'S3') return bytes;
  switch (channel.destination.storage.compressionType) {
    case 'NONE':
      return bytes;
    case 'GZIP':
      return gzip(bytes);
    case 'ZSTD':
      if (!zstdAsync) throw new Error('RIFFLE_ERR_ZSTD_UNAVAILABLE');
      return zstdAsync(bytes);
  }
}
