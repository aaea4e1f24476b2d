import { DescribeStreamSummaryCommand, ListStreamsCommand, type StreamDescriptionSummary, type StreamSummary } from '@aws-sdk/client-kinesis';
import type { Api } from '../app/api-context.js';

export interface StreamRow {
  readonly summary: StreamSummary;
  /** Open shards and retention come from DescribeStreamSummary; undefined while it has not answered. */
  readonly description: StreamDescriptionSummary | undefined;
}

/** At most this many pages of 100 are listed before "Load more" is needed. */
const PAGE_SIZE = 100;
/** DescribeStreamSummary calls in flight at once (AWS allows 20 a second per account). */
const DESCRIBE_CONCURRENCY = 4;

export async function listStreamPage(api: Api, nextToken: string | undefined): Promise<{ rows: StreamRow[]; nextToken: string | undefined }> {
  const page = await api.run(({ kinesis }) => kinesis.send(new ListStreamsCommand({ Limit: PAGE_SIZE, ...(nextToken ? { NextToken: nextToken } : {}) })));
  const summaries = page.StreamSummaries ?? (page.StreamNames ?? []).map((name) => ({ StreamName: name }) as StreamSummary);
  const descriptions = new Array<StreamDescriptionSummary | undefined>(summaries.length);
  let next = 0;
  const worker = async () => {
    while (next < summaries.length) {
      const index = next++;
      try {
        const answer = await api.run(({ kinesis }) => kinesis.send(new DescribeStreamSummaryCommand({ StreamName: summaries[index]!.StreamName })));
        descriptions[index] = answer.StreamDescriptionSummary;
      } catch {
        // Deleted meanwhile, or not allowed: the row shows what ListStreams said.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, summaries.length) }, worker));
  return {
    rows: summaries.map((summary, index) => ({ summary, description: descriptions[index] })),
    nextToken: page.HasMoreStreams ? page.NextToken : undefined,
  };
}
