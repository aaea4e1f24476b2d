import type { GetRecordsOutput } from '../../generated/kinesis/types.js';

/** Bytes a record's fixed JSON (member names, quotes, commas, a timestamp and EncryptionType) can take. */
const RECORD_FRAME_BYTES = 160;
/** A string member JSON-encoded as UTF-8 takes at most this many bytes per UTF-16 unit (`\u001f` is 6). */
const JSON_BYTES_PER_UNIT = 6;

/**
 * GetRecordsOutput as JSON 1.1 bytes, written straight into one Buffer. The generic path (a protocol document,
 * JSON.stringify, then UTF-8 bytes) built a 13 MiB string for a 10000-record response and spent most of
 * GetRecords' CPU on that string and its garbage. The buffer is sized from an upper bound so that each record's
 * pieces are written as they are made and die young: no array of 20000 strings lives through the response (GC
 * was the largest cost of a full GetRecords). The bytes are the same as the generic path's.
 */
export function getRecordsOutputJson(output: GetRecordsOutput): Buffer {
  const records = output.Records;
  let end = ']';
  if (output.NextShardIterator !== undefined) end += ',"NextShardIterator":' + JSON.stringify(output.NextShardIterator);
  if (output.MillisBehindLatest !== undefined) end += ',"MillisBehindLatest":' + JSON.stringify(output.MillisBehindLatest);
  if (output.ChildShards !== undefined) end += ',"ChildShards":' + JSON.stringify(output.ChildShards);
  end += '}';
  const start = '{"Records":[';

  let bound = start.length + Buffer.byteLength(end, 'utf8');
  for (const record of records) {
    bound += RECORD_FRAME_BYTES + base64Length(record.Data.byteLength);
    bound += (record.SequenceNumber.length + (record.PartitionKey?.length ?? 0)) * JSON_BYTES_PER_UNIT;
  }

  const out = Buffer.allocUnsafe(bound);
  let offset = out.write(start, 0, 'latin1');
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const head =
      (i === 0 ? '{"SequenceNumber":' : ',{"SequenceNumber":') +
      JSON.stringify(record.SequenceNumber) +
      (record.ApproximateArrivalTimestamp === undefined ? '' : ',"ApproximateArrivalTimestamp":' + record.ApproximateArrivalTimestamp.getTime() / 1000) +
      ',"Data":"';
    offset += out.write(head, offset, 'utf8');
    const data = record.Data;
    const base64 = Buffer.isBuffer(data) ? data.toString('base64') : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
    // Base64 is ASCII: latin1 writes it without a UTF-8 pass.
    offset += out.write(base64, offset, 'latin1');
    const tail =
      (record.PartitionKey === undefined ? '"' : '","PartitionKey":' + JSON.stringify(record.PartitionKey)) +
      (record.EncryptionType === undefined ? '' : ',"EncryptionType":' + JSON.stringify(record.EncryptionType)) +
      '}';
    offset += out.write(tail, offset, 'utf8');
  }
  offset += out.write(end, offset, 'utf8');
  return out.subarray(0, offset);
}

/** Padded base64 is 4 characters for every 3 bytes or part of them. */
function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}
