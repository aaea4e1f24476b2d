import { parseArgs } from 'node:util';
import { DescribeStreamConsumerCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import { awsCall, awsErrorLine } from '../aws-error.js';
import { CliError } from '../cli-error.js';
import { writeLine, type CommandIo } from '../command-io.js';
import type { Command } from '../commands.js';
import { describeTarget, kinesisClient, type KinesisTarget } from '../kinesis-target.js';
import { listAllShards } from '../list-all-shards.js';
import { integerOption } from '../integer-option.js';
import { sleep } from '../sleep.js';
import { streamRef, type StreamRef } from '../stream-ref.js';
import { targetFromOptions, targetOptions, targetUsage } from '../target-options.js';
import { formatRecord, type TailFormat, type TailRecord } from './record-formats.js';
import { activeConsumer, type ActiveConsumer } from './fan-out-consumer.js';
import { sdkConsumerCalls, sdkSubscribeCalls } from './sdk-fan-out-calls.js';
import { pollShard, type ChildShardInfo, type IteratorPosition, type ShardCalls, type ShardEnd } from './shard-poller.js';
import { childShardInfos, tailRecords } from './sdk-shard-records.js';
import { ShardReadingOrder } from './shard-reading-order.js';
import { subscribeShard } from './shard-subscriber.js';
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
How to read (GetRecords polling by default):
  --consumer NAME          read through enhanced fan-out (SubscribeToShard, pushed over HTTP/2) as the stream's
                           registered consumer NAME, 2 MiB/s a shard of its own; NAME is registered first
                           (RegisterStreamConsumer) when it is not, and then stays registered. Each shard's
                           subscription is made again where the last ended (they last 5 minutes, or drop);
                           with --no-follow a shard ends at its first event 0 ms behind its tip
  --deregister             with --consumer: deregister the consumer when tail ends
How to print:
  --format text            the data as UTF-8, one record a line (the default); control characters and bytes
                           that are not UTF-8 are shown as \\xNN
  --format json            one object a line: {"shardId","sequenceNumber","partitionKey",
                           "approximateArrivalTimestamp","data","encoding"}; data is the text when it is valid
                           UTF-8 (encoding "utf-8"), else base64 (encoding "base64")
  --format hex             a header line a record (shard, sequence number, key, size), then hexdump -C lines
  --verbose                say on stderr where the calls go and which shards are read
  -h, --help               this text

Exit status: 0 when stopped (--no-follow, --max-records, Ctrl-C), 1 when the stream is deleted (or the consumer
deregistered) or a call fails.

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
  consumer: { type: 'string' },
  deregister: { type: 'boolean' },
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
        records: tailRecords(shardId, page.Records),
        nextIterator: page.NextShardIterator ?? undefined,
        millisBehindLatest: page.MillisBehindLatest,
        childShards: childShardInfos(page.ChildShards),
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
  const consumerName = values.consumer;
  if (consumerName !== undefined && !CONSUMER_NAME.test(consumerName)) throw new CliError(`--consumer ${JSON.stringify(consumerName)}: a consumer name is 1 to 128 letters, digits, _ . or -`);
  if (values.deregister && consumerName === undefined) throw new CliError('--deregister goes with --consumer NAME');
  const target = targetFromOptions(values, io.env);
  if (values.verbose) writeLine(io.stderr, `riffle tail: talking to ${describeTarget(target)}`);
  const client = kinesisClient(target);
  const settings = { start, format, maxRecords, follow: !values['no-follow'], verbose: values.verbose === true };
  try {
    if (consumerName === undefined) return await tail(client, name, { ...settings, reader: pollingReader(client, streamRef(name), settings.follow) }, io);
    return await tailThroughConsumer(client, target, name, consumerName, values.deregister === true, settings, io);
  } finally {
    client.destroy();
  }
};

/** RegisterStreamConsumer's ConsumerName pattern and length (API reference). */
const CONSUMER_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

interface TailSettings {
  readonly start: StartPosition;
  readonly format: TailFormat;
  readonly maxRecords: number | undefined;
  readonly follow: boolean;
  readonly verbose: boolean;
}

/** How the shards are read: GetRecords polling or enhanced fan-out. */
interface ShardReader {
  read(shardId: string, start: StartPosition, signal: AbortSignal, emit: (record: TailRecord) => Promise<boolean>, notice: (line: string, always: boolean) => void): Promise<ShardEnd>;
  /** Why the reading cannot go on when a shard is gone though the stream is not (the consumer deregistered); undefined if it can. */
  whyGone?(): Promise<string | undefined>;
}

function pollingReader(client: KinesisClient, stream: StreamRef, follow: boolean): ShardReader {
  const calls = sdkShardCalls(client, stream);
  return { read: (shardId, start, signal, emit) => pollShard(shardId, start, calls, { follow, signal, sleep, now: Date.now, emit }) };
}

function fanOutReader(client: KinesisClient, consumer: ActiveConsumer, follow: boolean): ShardReader {
  const calls = sdkSubscribeCalls(client, consumer.arn);
  return {
    read: (shardId, start, signal, emit, notice) =>
      subscribeShard(shardId, start, calls, { follow, signal, sleep, now: Date.now, emit, notice: (line, kind) => notice(line, kind === 'taken-over') }),
    async whyGone() {
      try {
        await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumer.arn }));
        return undefined;
      } catch (error) {
        return (error as { name?: string }).name === 'ResourceNotFoundException' ? `consumer ${consumer.name} was deregistered` : undefined;
      }
    },
  };
}

/** `--consumer NAME`: the consumer made ACTIVE (registered if need be), the tail through it, and --deregister or a note at the end. */
async function tailThroughConsumer(client: KinesisClient, target: KinesisTarget, name: string, consumerName: string, deregister: boolean, settings: TailSettings, io: CommandIo): Promise<number> {
  const stream = streamRef(name);
  const summary = await awsCall(`describe ${name}`, () => client.send(new DescribeStreamSummaryCommand({ ...stream })));
  const streamArn = summary.StreamDescriptionSummary?.StreamARN;
  if (streamArn === undefined) throw new CliError(`DescribeStreamSummary answered no StreamARN for ${name}`, 1);
  const report = (line: string) => writeLine(io.stderr, `riffle tail: ${line}`);
  const consumerCalls = sdkConsumerCalls(client, streamArn);
  const stopped = io.signal ?? new AbortController().signal;
  let consumer: ActiveConsumer | undefined;
  try {
    const found = await awsCall(`make consumer ${consumerName} of ${name} ACTIVE`, () => activeConsumer(consumerName, consumerCalls, { signal: stopped, sleep, now: Date.now, report }));
    consumer = found.consumer;
    if (!found.active) return 0;
    if (settings.verbose) report(`reading through consumer ${consumer.arn}`);
    return await tail(client, name, { ...settings, reader: fanOutReader(client, consumer, settings.follow) }, io);
  } finally {
    if (consumer !== undefined && deregister) {
      try {
        await consumerCalls.deregister(consumer.arn);
        report(`deregistered consumer ${consumerName}`);
      } catch (error) {
        if ((error as { name?: string }).name !== 'ResourceNotFoundException') report(`cannot deregister consumer ${consumerName}: ${awsErrorLine(error)}`);
      }
    } else if (consumer?.registered) {
      const endpoint = target.endpoint === undefined ? '' : ` --endpoint-url ${target.endpoint}`;
      report(`consumer ${consumerName} stays registered (on AWS enhanced fan-out is billed per consumer-shard hour); remove it with \`aws kinesis deregister-stream-consumer --consumer-arn ${consumer.arn}${endpoint}\` or give tail --deregister`);
    }
  }
}

async function tail(client: KinesisClient, name: string, settings: TailSettings & { readonly reader: ShardReader }, io: CommandIo): Promise<number> {
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

  const notice = (line: string, always: boolean) => {
    if (always || settings.verbose) writeLine(io.stderr, `riffle tail: ${line}`);
  };
  let running = 0;
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  stop.signal.addEventListener('abort', () => settle(), { once: true });

  const launchReady = () => {
    for (const shardId of order.takeReady()) {
      running++;
      if (settings.verbose) writeLine(io.stderr, `riffle tail: reading ${shardId}`);
      settings.reader
        .read(shardId, starts.get(shardId)!, stop.signal, emit, notice)
        .then(async (end: ShardEnd) => {
          if (end.kind === 'gone') {
            if (await streamGone()) return fail(deleted());
            const why = await settings.reader.whyGone?.();
            if (why !== undefined) return fail(new CliError(why, 1));
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
