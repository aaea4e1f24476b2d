import { DescribeStreamSummaryCommand, ListStreamsCommand, type KinesisClient, type StreamSummary } from '@aws-sdk/client-kinesis';
import { awsCall } from '../aws-error.js';
import { writeLine, type CommandIo } from '../command-io.js';
import { jsonLine, type OutputFormat } from '../output-option.js';
import { textTable } from './text-table.js';

/** DescribeStreamSummary calls at once for the shard counts (AWS allows 20 a second per account). */
const describeConcurrency = 4;

export interface ListedStream {
  readonly StreamName: string;
  readonly StreamARN: string | undefined;
  readonly StreamStatus: string | undefined;
  readonly StreamMode: string | undefined;
  /** undefined when the stream went away between ListStreams and DescribeStreamSummary. */
  readonly OpenShardCount: number | undefined;
  readonly StreamCreationTimestamp: Date | undefined;
}

async function allStreamSummaries(client: KinesisClient): Promise<StreamSummary[]> {
  const summaries: StreamSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall('ListStreams', () => client.send(new ListStreamsCommand(nextToken === undefined ? {} : { NextToken: nextToken })));
    // Servers without StreamSummaries (older ones) still list the names.
    summaries.push(...(page.StreamSummaries ?? (page.StreamNames ?? []).map((StreamName) => ({ StreamName }) as StreamSummary)));
    nextToken = page.HasMoreStreams ? page.NextToken : undefined;
  } while (nextToken !== undefined);
  return summaries;
}

async function openShardCount(client: KinesisClient, summary: StreamSummary): Promise<number | undefined> {
  try {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: summary.StreamName }));
    return StreamDescriptionSummary?.OpenShardCount;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

export async function listStreams(client: KinesisClient): Promise<ListedStream[]> {
  const summaries = await allStreamSummaries(client);
  const counts: (number | undefined)[] = new Array(summaries.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < summaries.length; index = next++) counts[index] = await openShardCount(client, summaries[index]!);
  };
  await awsCall('DescribeStreamSummary', () => Promise.all(Array.from({ length: Math.min(describeConcurrency, summaries.length) }, worker)));
  return summaries.map((s, index) => ({
    StreamName: s.StreamName!,
    StreamARN: s.StreamARN,
    StreamStatus: s.StreamStatus,
    StreamMode: s.StreamModeDetails?.StreamMode,
    OpenShardCount: counts[index],
    StreamCreationTimestamp: s.StreamCreationTimestamp,
  }));
}

export function printStreams(streams: readonly ListedStream[], output: OutputFormat, io: CommandIo): void {
  if (output === 'json') return writeLine(io.stdout, jsonLine({ Streams: streams }));
  if (streams.length === 0) return writeLine(io.stderr, 'no streams');
  const rows = streams.map((s) => [s.StreamName, s.StreamStatus ?? '-', s.StreamMode ?? '-', s.OpenShardCount === undefined ? '-' : String(s.OpenShardCount)]);
  for (const line of textTable(['NAME', 'STATUS', 'MODE', 'OPEN SHARDS'], rows)) writeLine(io.stdout, line);
}
