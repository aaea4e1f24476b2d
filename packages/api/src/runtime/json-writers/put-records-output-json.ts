import type { PutRecordsOutput } from '../../generated/kinesis/types.js';

/**
 * PutRecordsOutput as JSON 1.1 bytes, built as one string in the model's member order, without the generic
 * path's protocol document of 500 entry objects. The bytes are the same as the generic path's.
 */
export function putRecordsOutputJson(output: PutRecordsOutput): Buffer {
  let json = '{';
  let first = true;
  if (output.FailedRecordCount !== undefined) {
    json += '"FailedRecordCount":' + JSON.stringify(output.FailedRecordCount);
    first = false;
  }
  json += (first ? '' : ',') + '"Records":[';
  const records = output.Records;
  for (let i = 0; i < records.length; i++) {
    const entry = records[i]!;
    let item = '';
    if (entry.SequenceNumber !== undefined) item += ',"SequenceNumber":' + JSON.stringify(entry.SequenceNumber);
    if (entry.ShardId !== undefined) item += ',"ShardId":' + JSON.stringify(entry.ShardId);
    if (entry.ErrorCode !== undefined) item += ',"ErrorCode":' + JSON.stringify(entry.ErrorCode);
    if (entry.ErrorMessage !== undefined) item += ',"ErrorMessage":' + JSON.stringify(entry.ErrorMessage);
    json += (i === 0 ? '{' : ',{') + item.slice(1) + '}';
  }
  json += ']';
  if (output.EncryptionType !== undefined) json += ',"EncryptionType":' + JSON.stringify(output.EncryptionType);
  return Buffer.from(json + '}', 'utf8');
}
