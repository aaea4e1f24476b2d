import { parseArgs } from 'node:util';
import { DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import { awsErrorLine } from '../aws-error.js';
import { CliError } from '../cli-error.js';
import { writeLine, type CommandIo } from '../command-io.js';
import type { Command } from '../commands.js';
import { describeTarget, kinesisClient } from '../kinesis-target.js';
import { listAllShards } from '../list-all-shards.js';
import { integerOption } from '../integer-option.js';
import { sleep } from '../sleep.js';
import { streamRef, type StreamRef } from '../stream-ref.js';
import { targetFromOptions, targetOptions, targetUsage } from '../target-options.js';
import { formatRecord, type TailFormat, type TailRecord } from './record-formats.js';
import { pollShard, type ChildShardInfo, type IteratorPosition, type ShardCalls, type ShardEnd } from './shard-poller.js';
import { ShardReadingOrder } from './shard-reading-order.js';
import { startPosition, type StartPosition } from './start-position.js';

const usage = `Usage: riffle tail STREAM [options]

Prints the records of every shard of STREAM as they arrive, until Ctrl-C. After a split or a merge the new shards
are read once all their parents are read to the end, so a partition key's records keep their order.

Where to start (in the shards there now; shards made later are read from their start):
  --from latest            only records put from now on (the default, like tail -f)
  -a, --from-start         every record still in the stream (same as --from trim-horizon)
  --from trim-horizon      the same
  --timestamp TIME         records from TIME on: ISO 8601 (2024-05-01T12:00:00Z) or epoch seconds
                           (same as --from timestamp --timestamp TIME)
When to stop:
  -f, --follow             keep waiting for new records (the default)
  --no-follow              stop at the current end of every shard
  --max-records N          stop after N records
How to print:
  --format text            the data as UTF-8, one record a line (the default); control characters and bytes
                           that are not UTF-8 are shown as \\xNN
  --format json            one object a line: {"shardId","sequenceNumber","partitionKey",
                           "approximateArrivalTimestamp","data","encoding"}; data is the text when it is valid
                           UTF-8 (encoding "utf-8"), else base64 (encoding "base64")
  --format hex             a header line a record (shard, sequence number, key, size), then hexdump -C lines
  --verbose                say on stderr where the calls go and which shards are read
  -h, --help               this text

Exit status: 0 when stopped (--no-follow, --max-records, Ctrl-C), 1 when the stream is deleted or a call fails.

${targetUsage}
`;

const options = {
  ...targetOptions,
  from: { type: 'string' },
  'from-start': { type: 'boolean', short: 'a' },
  timestamp: { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  'no-follow': { type: 'boolean' },
  'max-records': { type: 'string' },
  format: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** How often, when following, ListShards looks for shards that GetRecords has not told of (and for the stream's deletion). */
const DISCOVERY_INTERVAL_MS = 5_000;

function tailFormat(value: string | undefined): TailFormat {
  if (value === undefined) return 'text';
  if (value === 'text' || value === 'json' || value === 'hex') return value;
  throw new CliError(`--format must be text, json or hex, not ${JSON.stringify(value)}`);
}

function sdkShardCalls(client: KinesisClient, stream: StreamRef): ShardCalls {
  return {
    async getShardIterator(shardId, position: IteratorPosition, signal) {
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({
          ...stream,
          ShardId: shardId,
          ShardIteratorType: position.kind,
          ...(position.kind === 'AT_TIMESTAMP' ? { Timestamp: position.timestamp } : {}),
          ...(position.kind === 'AFTER_SEQUENCE_NUMBER' ? { StartingSequenceNumber: position.sequenceNumber } : {}),
        }),
        { abortSignal: signal },
      );
      if (ShardIterator === undefined) throw new Error(`GetShardIterator answered no iterator for ${shardId}`);
      return ShardIterator;
    },
    async getRecords(shardId, iterator, signal) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, ...(stream.StreamARN ? { StreamARN: stream.StreamARN } : {}) }), { abortSignal: signal });
      return {
        records: (page.Records ?? []).map((record) => ({
          shardId,
          sequenceNumber: record.SequenceNumber ?? '',
          partitionKey: record.PartitionKey,
          approximateArrivalTimestamp: record.ApproximateArrivalTimestamp,
          data: record.Data ?? new Uint8Array(),
        })),
        nextIterator: page.NextShardIterator ?? undefined,
        millisBehindLatest: page.MillisBehindLatest,
        childShards: (page.ChildShards ?? []).map((child) => ({ shardId: child.ShardId!, parents: child.ParentShards ?? [] })),
      };
    },
  };
}

export const tailCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(`name one stream to tail${positionals.length > 1 ? `, got ${positionals.length}` : ''}\n\n${usage}`);
  const name = positionals[0]!;
  if (values.follow && values['no-follow']) throw new CliError('--follow and --no-follow exclude each other');
  const start = startPosition(values.from, values['from-start'] === true, values.timestamp);
  const format = tailFormat(values.format);
  const maxRecords = values['max-records'] === undefined ? undefined : integerOption('--max-records', values['max-records'], 1);
  const target = targetFromOptions(values, io.env);
  if (values.verbose) writeLine(io.stderr, `riffle tail: talking to ${describeTarget(target)}`);
  const client = kinesisClient(target);
  try {
    return await tail(client, name, { start, format, maxRecords, follow: !values['no-follow'], verbose: values.verbose === true }, io);
  } finally {
    client.destroy();
  }
};

interface TailSettings {
  readonly start: StartPosition;
  readonly format: TailFormat;
  readonly maxRecords: number | undefined;
  readonly follow: boolean;
  readonly verbose: boolean;
}

async function tail(client: KinesisClient, name: string, settings: TailSettings, io: CommandIo): Promise<number> {
  const stream = streamRef(name);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  io.signal?.addEventListener('abort', onAbort, { once: true });
  let fatal: CliError | undefined;
  const fail = (error: CliError) => {
    fatal ??= error;
    stop.abort();
  };
  let printed = 0;
  let outputClosed = false;
  // `riffle tail s | head`: a closed pipe ends the tail quietly.
  const onOutputError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') fail(new CliError(`cannot write the records: ${error.message}`, 1));
    outputClosed = true;
    stop.abort();
  };
  io.stdout.on('error', onOutputError);

  const emit = async (record: TailRecord): Promise<boolean> => {
    if (stop.signal.aborted) return false;
    let drained = true;
    for (const line of formatRecord(record, settings.format)) drained = io.stdout.write(`${line}\n`) && drained;
    printed++;
    if (settings.maxRecords !== undefined && printed >= settings.maxRecords) {
      stop.abort();
      return false;
    }
    if (!drained) await new Promise<void>((resolve) => { io.stdout.once('drain', resolve); stop.signal.addEventListener('abort', () => resolve(), { once: true }); });
    return !stop.signal.aborted;
  };

  const streamGone = async (): Promise<boolean> => {
    try {
      await client.send(new DescribeStreamSummaryCommand({ ...stream }));
      return false;
    } catch (error) {
      return (error as { name?: string }).name === 'ResourceNotFoundException';
    }
  };
  const deleted = () => new CliError(`stream ${name} was deleted (or does not exist)`, 1);

  let shards: Shard[];
  try {
    shards = await listAllShards(client, stream, `list the shards of ${name}`);
  } catch (error) {
    io.signal?.removeEventListener('abort', onAbort);
    io.stdout.off('error', onOutputError);
    throw error;
  }
  const order = new ShardReadingOrder();
  const starts = new Map<string, StartPosition>();
  const isOpen = (shard: Shard) => shard.SequenceNumberRange?.EndingSequenceNumber === undefined;
  for (const shard of shards) {
    // From LATEST only the open shards have records to come; the closed ones are skipped.
    const skip = settings.start.kind === 'LATEST' && !isOpen(shard);
    order.add(shard.ShardId!, [shard.ParentShardId, shard.AdjacentParentShardId], skip);
    starts.set(shard.ShardId!, settings.start);
  }
  /** Shards found after the start were made after it: read from their first record. */
  const discovered = (children: readonly ChildShardInfo[]) => {
    for (const child of children) if (order.add(child.shardId, child.parents)) starts.set(child.shardId, { kind: 'TRIM_HORIZON' });
  };

  const calls = sdkShardCalls(client, stream);
  let running = 0;
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  stop.signal.addEventListener('abort', () => settle(), { once: true });

  const launchReady = () => {
    for (const shardId of order.takeReady()) {
      running++;
      if (settings.verbose) writeLine(io.stderr, `riffle tail: reading ${shardId}`);
      pollShard(shardId, starts.get(shardId)!, calls, { follow: settings.follow, signal: stop.signal, sleep, now: Date.now, emit })
        .then(async (end: ShardEnd) => {
          if (end.kind === 'gone') {
            if (await streamGone()) return fail(deleted());
            // Only this shard is gone (aged out of retention): its children may still be read.
          }
          if (end.kind === 'closed') discovered(end.children);
          if (end.kind !== 'stopped') order.markDone(shardId);
          if (settings.verbose && end.kind !== 'stopped') writeLine(io.stderr, `riffle tail: ${shardId} ${end.kind === 'closed' ? 'read to its end' : end.kind === 'gone' ? 'is gone' : 'read to its current end'}`);
        })
        .catch((error: unknown) => fail(new CliError(`read ${shardId} of ${name}: ${awsErrorLine(error)}`, 1)))
        .finally(() => {
          running--;
          launchReady();
          if (running === 0 && !settings.follow) settle();
        });
    }
  };

  const discover = async () => {
    while (!stop.signal.aborted) {
      await sleep(DISCOVERY_INTERVAL_MS, stop.signal);
      if (stop.signal.aborted) return;
      try {
        const now = await listAllShards(client, stream, 'ListShards');
        discovered(now.map((shard) => ({ shardId: shard.ShardId!, parents: [shard.ParentShardId, shard.AdjacentParentShardId].filter((p): p is string => p !== undefined) })));
        launchReady();
      } catch (error) {
        if (stop.signal.aborted) return;
        if (/ResourceNotFoundException/.test((error as Error).message) && (await streamGone())) return fail(deleted());
        // Anything else is passing (a dropped connection): look again next time.
        if (settings.verbose) writeLine(io.stderr, `riffle tail: ${(error as Error).message}`);
      }
    }
  };

  launchReady();
  if (running === 0 && !settings.follow) settle();
  const discovery = settings.follow ? discover() : Promise.resolve();
  await settled;
  stop.abort();
  await discovery;
  // Let the shard readers see the stop before the client is destroyed.
  for (let i = 0; i < 100 && running > 0; i++) await sleep(10);
  io.signal?.removeEventListener('abort', onAbort);
  io.stdout.off('error', onOutputError);
  if (fatal !== undefined) throw fatal;
  if (io.signal?.aborted && !outputClosed) writeLine(io.stderr, `riffle tail: stopped after ${printed} record${printed === 1 ? '' : 's'}`);
  return 0;
}
