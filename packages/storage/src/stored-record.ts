/** A record as handed to a shard log: everything Kinesis keeps about it except its position. */
export interface RecordToAppend {
  /** Epoch milliseconds at which the service accepted the record. */
  readonly arrivalTime: number;
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Uint8Array;
  /**
   * Set on a record its owner encrypted (encryption at rest): `data` holds the ciphertext of the whole record,
   * `partitionKey` is empty and there is no explicitHashKey. Read budgets count these bytes (the plaintext's data
   * and partition key) instead of the ciphertext's.
   */
  readonly plainSize?: number;
}

/** A record read back from a shard log, with its per-shard offset (0, 1, 2, ...). */
export interface StoredRecord extends RecordToAppend {
  readonly offset: number;
}

/**
 * The bytes a record counts for in read budgets: data plus the partition key's UTF-8 bytes, as AWS counts them;
 * for an encrypted record, its plaintext's (plainSize).
 */
export function storedRecordSize(record: RecordToAppend): number {
  return record.plainSize ?? record.data.byteLength + Buffer.byteLength(record.partitionKey, 'utf8');
}
