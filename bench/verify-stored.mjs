// Cheap proof that acknowledged writes were really stored: read one acknowledged record per shard back by its
// sequence number and compare its data. A server that only pretends to store cannot pass it.

/**
 * @param {import('./client.mjs').KinesisClient} client
 * @param {string} streamName
 * @param {Map<string, { sequenceNumber: string, data: string }>} acknowledgedByShard  one acknowledged record per shard
 * @returns {Promise<string[]>} problems found (empty when every sampled record reads back intact)
 */
export async function verifyAcknowledgedRecordsStored(client, streamName, acknowledgedByShard) {
  const problems = [];
  for (const [shardId, { sequenceNumber, data }] of acknowledgedByShard) {
    try {
      const { ShardIterator: iterator } = await client.call('GetShardIterator', JSON.stringify({
        StreamName: streamName, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: sequenceNumber,
      }));
      const { Records: records } = await client.call('GetRecords', JSON.stringify({ ShardIterator: iterator, Limit: 1 }));
      const record = records?.[0];
      if (!record || record.SequenceNumber !== sequenceNumber || record.Data !== data) {
        problems.push(`acknowledged record ${sequenceNumber} on ${shardId} does not read back as written`);
      }
    } catch (error) {
      problems.push(`acknowledged record ${sequenceNumber} on ${shardId} cannot be read back: ${error.message}`);
    }
  }
  return problems;
}
