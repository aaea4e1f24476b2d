// One PutRecords call whose response is checked entry by entry; shared by the PutRecords and GetRecords scenarios.
import { putRecordsBody } from './payloads.mjs';

/**
 * Sends `batchSize` records and returns how many were stored per shard plus one acknowledged record per shard.
 * Throws when the response is malformed or any entry failed, so a partial success never counts as throughput.
 */
export async function putRecordsBatch(client, streamName, shardIds, payloads, batchSize) {
  const records = Array.from({ length: batchSize }, () => payloads.next());
  const response = await client.call('PutRecords', putRecordsBody(streamName, records));
  const entries = response.Records;
  if (!Array.isArray(entries) || entries.length !== batchSize) {
    throw new Error(`PutRecords answered ${entries?.length} entries for ${batchSize} records`);
  }
  if ((response.FailedRecordCount ?? 0) !== 0) {
    const failed = entries.find((entry) => entry.ErrorCode);
    throw new Error(`PutRecords: ${response.FailedRecordCount} records failed (${failed?.ErrorCode}: ${failed?.ErrorMessage})`);
  }
  const storedByShard = new Map();
  const acknowledged = new Map();
  entries.forEach((entry, index) => {
    if (!shardIds.has(entry.ShardId) || typeof entry.SequenceNumber !== 'string') {
      throw new Error(`malformed PutRecords entry ${JSON.stringify(entry).slice(0, 200)}`);
    }
    storedByShard.set(entry.ShardId, (storedByShard.get(entry.ShardId) ?? 0) + 1);
    acknowledged.set(entry.ShardId, { sequenceNumber: entry.SequenceNumber, data: records[index] });
  });
  return { storedByShard, acknowledged, sequenceNumbers: entries.map((entry) => `${entry.ShardId}/${entry.SequenceNumber}`) };
}
