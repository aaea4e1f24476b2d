/** A record as handed to a shard log: everything Kinesis keeps about it except its position. */
export interface RecordToAppend {
  /** Epoch milliseconds at which the service accepted the record. */
  readonly arrivalTime: number;
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Uint8Array;
}

/** A record read back from a shard log, with its per-shard offset (0, 1, 2, ...). */
export interface StoredRecord extends RecordToAppend {
  readonly offset: number;
}

/** The bytes a record counts for in read budgets: data plus the partition key's UTF-8 bytes, as AWS counts them. */
export function storedRecordSize(record: RecordToAppend): number {
  return record.data.byteLength + Buffer.byteLength(record.partitionKey, 'utf8');
}
