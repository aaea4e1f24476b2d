import type { GetRecordsOutput } from '../../generated/kinesis/types.js';

/**
 * GetRecordsOutput as JSON 1.1 bytes, written straight into one Buffer sized up front. The generic path (a
 * protocol document, JSON.stringify, then UTF-8 bytes) built a 13 MiB string for a 10000-record response and
 * spent most of GetRecords' CPU on that string and its garbage. The bytes are the same as the generic path's.
 */
export function getRecordsOutputJson(output: GetRecordsOutput): Buffer {
  const records = output.Records;
  const heads: string[] = new Array(records.length);
  const tails: string[] = new Array(records.length);
  let size = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    heads[i] =
      (i === 0 ? '{"SequenceNumber":' : ',{"SequenceNumber":') +
      JSON.stringify(record.SequenceNumber) +
      (record.ApproximateArrivalTimestamp === undefined ? '' : ',"ApproximateArrivalTimestamp":' + record.ApproximateArrivalTimestamp.getTime() / 1000) +
      ',"Data":"';
    tails[i] =
      '","PartitionKey":' +
      JSON.stringify(record.PartitionKey) +
      (record.EncryptionType === undefined ? '' : ',"EncryptionType":' + JSON.stringify(record.EncryptionType)) +
      '}';
    size += heads[i]!.length + base64Length(record.Data.byteLength) + Buffer.byteLength(tails[i]!, 'utf8');
  }
  let end = ']';
  if (output.NextShardIterator !== undefined) end += ',"NextShardIterator":' + JSON.stringify(output.NextShardIterator);
  if (output.MillisBehindLatest !== undefined) end += ',"MillisBehindLatest":' + JSON.stringify(output.MillisBehindLatest);
  if (output.ChildShards !== undefined) end += ',"ChildShards":' + JSON.stringify(output.ChildShards);
  end += '}';
  const start = '{"Records":[';
  size += start.length + Buffer.byteLength(end, 'utf8');

  const out = Buffer.allocUnsafe(size);
  let offset = out.write(start, 0, 'latin1');
  for (let i = 0; i < records.length; i++) {
    // Heads and base64 are ASCII: latin1 writes them without a UTF-8 pass.
    offset += out.write(heads[i]!, offset, 'latin1');
    // Encoded only now and dropped at once: 10000 live base64 strings (13 MiB) reached the old generation, and
    // kept the heap and RSS high long after the response was sent.
    const data = records[i]!.Data;
    const base64 = Buffer.isBuffer(data) ? data.toString('base64') : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
    offset += out.write(base64, offset, 'latin1');
    offset += out.write(tails[i]!, offset, 'utf8');
  }
  offset += out.write(end, offset, 'utf8');
  return offset === size ? out : out.subarray(0, offset);
}

/** Padded base64 is 4 characters for every 3 bytes or part of them. */
function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}
