import { accessSync, constants } from 'node:fs';
import { parseArgs } from 'node:util';
import { DescribeStreamSummaryCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { awsErrorLine } from '../aws-error.js';
import { CliError } from '../cli-error.js';
import { writeLine, type CommandIo } from '../command-io.js';
import type { Command } from '../commands.js';
import { describeTarget, kinesisClient } from '../kinesis-target.js';
import { jsonLine, outputFormat } from '../output-option.js';
import { integerOption } from '../integer-option.js';
import { sleep } from '../sleep.js';
import { streamRef, type StreamRef } from '../stream-ref.js';
import { targetFromOptions, targetOptions, targetUsage } from '../target-options.js';
import { explicitHashKeyProblem, partitionKeyFor, partitionKeyProblem, type PartitionKeyRule } from './partition-keys.js';
import { defaultRetryPolicy, failed, putRecordsWithRetries, type PutOutcome, type RetryPolicy } from '../put-records-with-retries.js';
import { entryBytes, RecordBatcher, type BatchEntry } from '../record-batcher.js';
import { recordData, type DataEncoding } from './record-data.js';
import { readRecords, type RecordSource } from './record-sources.js';

const usage = `Usage: riffle put STREAM [DATA...] [--file FILE]... [options]

Puts records, one per DATA argument (quote one that has spaces: riffle put s 'hello world'), one per line of each
--file, or one per line of standard input (with '-', or when stdin is piped and no DATA or --file is given).
Lines lose their \\n or \\r\\n; empty lines are skipped. Records are sent with PutRecords in batches of up to 500
records and 5 MiB as they are read; the failed entries of a batch are retried with backoff.

Data:
  --file FILE              read records from FILE ('-' for stdin); repeatable, read in order after DATA
  --whole-file             one record per file (or all of stdin), bytes as they are, instead of one a line
  --base64                 each record's text is base64: put the decoded bytes
  --hex                    each record's text is hex: put the decoded bytes
Partition key (default: a random key per record, so records spread over all shards):
  --partition-key KEY      this key for every record (they all go to one shard, in order)
  --partition-key-field F  the field F of each record, a JSON object (F may be a dotted path: device.id)
  --random-partition-key   a random key per record (the default)
  --explicit-hash-key H    route every record to the shard owning this hash key (decimal, 0 to 2^128-1)
Retries:
  --max-attempts N         PutRecords calls a batch may take: the first and the retries of its failed
                           records (default 10, about 12 s of backoff)
Output:
  --output text|json       text: one summary line; json: one line a record, {"ShardId","SequenceNumber"} or
                           {"ErrorCode","ErrorMessage"}, in input order
  --verbose                say on stderr where the calls go
  -h, --help               this text

Exit status: 0 when every record was put, 1 when any finally failed, 2 for bad input (the records before it
are put, nothing after it), 130 when Ctrl-C stopped it (the records read by then are put).

${targetUsage}
`;

const options = {
  ...targetOptions,
  file: { type: 'string', multiple: true },
  'whole-file': { type: 'boolean' },
  base64: { type: 'boolean' },
  hex: { type: 'boolean' },
  'partition-key': { type: 'string' },
  'partition-key-field': { type: 'string' },
  'random-partition-key': { type: 'boolean' },
  'explicit-hash-key': { type: 'string' },
  'max-attempts': { type: 'string' },
  output: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A partial batch waits at most this long for more lines before it is sent (input trickling in, `tail -f | riffle put`). */
const LINGER_MS = 100;
/** PutRecords calls at once when records have random keys (there is no order to keep between them). */
const RANDOM_KEY_CALLS = 4;
/** Kinesis's record size limit when the stream does not say (MaxRecordSizeInKiB's default). */
const DEFAULT_MAX_RECORD_KIB = 1024;
/** Failed records named one by one on stderr, at most. */
const FAILURES_NAMED = 10;

interface Entry extends BatchEntry {
  readonly data: Uint8Array;
  readonly origin: string;
}

function partitionKeyRule(values: { 'partition-key'?: string | undefined; 'partition-key-field'?: string | undefined; 'random-partition-key'?: boolean | undefined }): PartitionKeyRule {
  const given = [values['partition-key'] !== undefined, values['partition-key-field'] !== undefined, values['random-partition-key'] === true].filter(Boolean).length;
  if (given > 1) throw new CliError('--partition-key, --partition-key-field and --random-partition-key exclude each other');
  if (values['partition-key'] !== undefined) {
    const problem = partitionKeyProblem(values['partition-key']);
    if (problem) throw new CliError(`--partition-key: ${problem}`);
    return { kind: 'fixed', key: values['partition-key'] };
  }
  if (values['partition-key-field'] !== undefined) {
    if (values['partition-key-field'] === '') throw new CliError('--partition-key-field needs a field name');
    return { kind: 'field', field: values['partition-key-field'] };
  }
  return { kind: 'random' };
}

function recordSources(data: readonly string[], files: readonly string[], stdinIsTty: boolean): RecordSource[] {
  const sources: RecordSource[] = [
    ...data.map((text, index): RecordSource => (text === '-' ? { kind: 'stdin' } : { kind: 'argument', text, position: index + 1 })),
    ...files.map((path): RecordSource => (path === '-' ? { kind: 'stdin' } : { kind: 'file', path })),
  ];
  if (sources.filter((s) => s.kind === 'stdin').length > 1) throw new CliError('standard input (-) can be read once only');
  for (const source of sources) {
    if (source.kind !== 'file') continue;
    try {
      accessSync(source.path, constants.R_OK);
    } catch (error) {
      throw new CliError(`cannot read ${source.path}: ${(error as Error).message}`);
    }
  }
  if (sources.length > 0) return sources;
  if (stdinIsTty) throw new CliError(`no records to put: give them as arguments, with --file, or on standard input ('-')\n\n${usage}`);
  return [{ kind: 'stdin' }];
}

/** The stream's record size limit in bytes (data and partition key); fails early, before any input is read, when there is no such stream. */
async function maxRecordBytes(client: KinesisClient, stream: StreamRef, name: string): Promise<number> {
  try {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ ...stream }));
    return (StreamDescriptionSummary?.MaxRecordSizeInKiB ?? DEFAULT_MAX_RECORD_KIB) * 1024;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException' || (error as { $metadata?: unknown }).$metadata === undefined) {
      throw new CliError(`put to ${name}: ${awsErrorLine(error)}`, 1);
    }
    // Without the right to describe the stream (kinesis:DescribeStreamSummary) the default limit is assumed.
    return DEFAULT_MAX_RECORD_KIB * 1024;
  }
}

export const putCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const [streamName, ...data] = positionals;
  if (streamName === undefined) throw new CliError(`name the stream to put to\n\n${usage}`);
  if (values.base64 && values.hex) throw new CliError('--base64 and --hex exclude each other');
  const encoding: DataEncoding = values.base64 ? 'base64' : values.hex ? 'hex' : 'raw';
  const keyRule = partitionKeyRule(values);
  const explicitHashKey = values['explicit-hash-key'];
  if (explicitHashKey !== undefined) {
    const problem = explicitHashKeyProblem(explicitHashKey);
    if (problem) throw new CliError(problem);
  }
  const output = outputFormat(values.output);
  const attempts = values['max-attempts'] === undefined ? defaultRetryPolicy.attempts : integerOption('--max-attempts', values['max-attempts'], 1, 100);
  const sources = recordSources(data, values.file ?? [], (io.stdin as { isTTY?: boolean }).isTTY === true);
  const target = targetFromOptions(values, io.env);
  if (values.verbose) writeLine(io.stderr, `riffle put: talking to ${describeTarget(target)}`);
  const client = kinesisClient(target);
  const stream = streamRef(streamName);
  try {
    return await putAll(client, stream, streamName, sources, { encoding, keyRule, explicitHashKey, output, wholeFile: values['whole-file'] === true, retryPolicy: { ...defaultRetryPolicy, attempts } }, io);
  } finally {
    client.destroy();
  }
};

interface PutSettings {
  readonly encoding: DataEncoding;
  readonly keyRule: PartitionKeyRule;
  readonly explicitHashKey: string | undefined;
  readonly output: 'text' | 'json';
  readonly wholeFile: boolean;
  readonly retryPolicy: RetryPolicy;
}

/**
 * The next input; 'aborted' on Ctrl-C, 'broken' once a call has failed as a whole, 'linger' once a partial batch has
 * waited long enough. The listeners and the timer are removed each time: a race against long-lived promises would keep
 * every record they ever settled with.
 */
function nextInput<T>(next: Promise<T>, interrupt: AbortSignal | undefined, broken: AbortSignal, lingerMs: number | undefined): Promise<T | 'aborted' | 'broken' | 'linger'> {
  if (broken.aborted) return Promise.resolve('broken');
  if (interrupt?.aborted) return Promise.resolve('aborted');
  return new Promise((resolve, reject) => {
    const onInterrupt = () => settle(() => resolve('aborted'));
    const onBroken = () => settle(() => resolve('broken'));
    const timer = lingerMs === undefined ? undefined : setTimeout(() => settle(() => resolve('linger')), lingerMs);
    const settle = (then: () => void) => {
      clearTimeout(timer);
      interrupt?.removeEventListener('abort', onInterrupt);
      broken.removeEventListener('abort', onBroken);
      then();
    };
    interrupt?.addEventListener('abort', onInterrupt, { once: true });
    broken.addEventListener('abort', onBroken, { once: true });
    next.then((value) => settle(() => resolve(value)), (error: unknown) => settle(() => reject(error)));
  });
}

async function putAll(client: KinesisClient, stream: StreamRef, name: string, sources: readonly RecordSource[], settings: PutSettings, io: CommandIo): Promise<number> {
  const limit = await maxRecordBytes(client, stream, name);
  const batcher = new RecordBatcher<Entry>();
  let sent = 0;
  let failures = 0;
  let sendError: unknown;
  /** Aborted once a PutRecords call fails as a whole: reading stops there, even while stdin stays open. */
  const broken = new AbortController();
  // Random keys promise no order, so several calls go at once; any key rule keeps one call at a time, so that no
  // record overtakes an earlier one of its key.
  const maxInFlight = settings.keyRule.kind === 'random' && settings.explicitHashKey === undefined ? RANDOM_KEY_CALLS : 1;
  const inFlight = new Set<Promise<void>>();
  /** The last batch's report: answers are reported (and --output json printed) in input order. */
  let reported: Promise<void> = Promise.resolve();

  const putBatch = (batch: readonly Entry[]) =>
    putRecordsWithRetries(
      async (entries) => (await client.send(new PutRecordsCommand({ ...stream, Records: entries }))).Records ?? [],
      batch.map((entry) => ({ Data: entry.data, PartitionKey: entry.partitionKey, ExplicitHashKey: entry.explicitHashKey })),
      sleep,
      settings.retryPolicy,
      io.signal,
    );
  const report = (batch: readonly Entry[], outcomes: readonly PutOutcome[]) => {
    outcomes.forEach((outcome, index) => {
      if (settings.output === 'json') writeLine(io.stdout, jsonLine(outcome));
      if (!failed(outcome)) return void sent++;
      if (++failures <= FAILURES_NAMED) writeLine(io.stderr, `riffle put: ${batch[index]!.origin} failed: ${outcome.ErrorCode}: ${outcome.ErrorMessage}`);
    });
  };
  const dispatch = async (batch: Entry[]) => {
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if (sendError !== undefined || batch.length === 0) return;
    const answered = putBatch(batch).then((outcomes) => ({ outcomes }), (error: unknown) => ({ error }));
    const done = reported.then(async () => {
      const answer = await answered;
      if ('outcomes' in answer) return report(batch, answer.outcomes);
      sendError ??= answer.error;
      broken.abort();
    });
    reported = done;
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };
  const finish = async () => {
    await dispatch(batcher.take());
    await reported;
    if (sendError !== undefined) {
      throw new CliError(`put to ${name}: ${awsErrorLine(sendError)}${sent > 0 ? ` (${sent} records were put before)` : ''}`, 1);
    }
  };
  /** Bad input stops the put; what was read before it is still sent, and said. */
  const badInput = async (origin: string, problem: string) => {
    await finish();
    throw new CliError(`${origin}: ${problem}${sent + failures > 0 ? ` (stopped there; ${sent} records before it were put)` : ' (nothing was put)'}`);
  };

  const records = readRecords(sources, { wholeFile: settings.wholeFile, stdin: io.stdin })[Symbol.asyncIterator]();
  let interrupted = false;
  for (;;) {
    const next = records.next();
    let result: IteratorResult<{ text: Buffer; origin: string }> | 'aborted' | 'broken';
    for (;;) {
      let first: Awaited<typeof next> | 'aborted' | 'broken' | 'linger';
      try {
        first = await nextInput(next, io.signal, broken.signal, batcher.size > 0 ? LINGER_MS : undefined);
      } catch (error) {
        // An input that fails mid-way (a file unreadable): what was read before it is still sent.
        await finish();
        throw error;
      }
      if (first !== 'linger') {
        result = first;
        break;
      }
      await dispatch(batcher.take());
    }
    if (result === 'aborted' || result === 'broken') {
      interrupted = result === 'aborted';
      next.catch(() => undefined);
      io.stdin.destroy();
      break;
    }
    if (result.done) break;
    const { text, origin } = result.value;
    let bytes: Buffer;
    let partitionKey: string;
    try {
      bytes = recordData(text, settings.encoding);
      partitionKey = partitionKeyFor(settings.keyRule, bytes);
    } catch (error) {
      return badInput(origin, (error as Error).message);
    }
    const entry: Entry = { data: bytes, partitionKey, explicitHashKey: settings.explicitHashKey, origin };
    if (entryBytes(entry) > limit) {
      return badInput(origin, `the record is ${entryBytes(entry)} bytes with its partition key, over the stream's limit of ${limit} bytes (MaxRecordSizeInKiB ${limit / 1024})`);
    }
    for (const batch of batcher.add(entry)) await dispatch(batch);
  }
  await finish();
  const total = sent + failures;
  const summary = failures === 0
    ? `Put ${sent} record${sent === 1 ? '' : 's'} to ${name}`
    : `Put ${sent} of ${total} records to ${name}; ${failures} failed${failures > FAILURES_NAMED ? ` (the first ${FAILURES_NAMED} are named above)` : ''}`;
  if (settings.output === 'text') writeLine(io.stdout, summary + (interrupted ? ' (interrupted)' : ''));
  else if (failures > 0 || interrupted) writeLine(io.stderr, `riffle put: ${summary}${interrupted ? ' (interrupted)' : ''}`);
  return failures > 0 ? 1 : interrupted ? 130 : 0;
}
