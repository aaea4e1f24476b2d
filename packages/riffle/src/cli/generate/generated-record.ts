/** One record to put: its data (UTF-8 text) and partition key. */
export interface GeneratedRecord {
  readonly data: string;
  readonly partitionKey: string;
}
