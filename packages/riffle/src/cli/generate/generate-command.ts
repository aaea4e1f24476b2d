import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { awsCall } from '../aws-error.js';
import { CliError } from '../cli-error.js';
import { writeLine, type CommandIo } from '../command-io.js';
import type { Command } from '../commands.js';
import { describeTarget, kinesisClient, type KinesisTarget } from '../kinesis-target.js';
import { targetFromOptions, targetOptions, targetUsage } from '../target-options.js';
import { formatDuration, parseDuration } from './duration.js';
import { parseMetricsTask, type MetricsTask } from './metrics-task.js';
import { tickRecords } from './metrics-task-records.js';
import { dataProfiles } from './profiles/data-profiles.js';
import { RatePacer } from './rate-pacer.js';
import { RATE_SYNTAX, parseRate } from './rate-shape.js';
import { MAX_BATCH_RECORDS, MAX_RECORD_BYTES, RecordSender, recordBytes, type PutRecordsCall } from './record-sender.js';
import { printSink, streamSink, type RecordSink } from './record-sink.js';
import { systemClock, type RunClock } from './run-clock.js';
import { RunProgress, summaryRate } from './run-progress.js';
import { MAX_SEED, SeededRandom, randomSeed } from './seeded-random.js';
import { profileSource, templateSource, type PartitionKeyChoice, type RecordSource } from './stream-record-source.js';
import { taskTicks } from './task-ticks.js';
import { compileTemplate, helperNames } from './template/record-template.js';

/** The lab generator's own safety limit: a realtime task run emits at most this many records. */
export const REALTIME_SAFETY_LIMIT = 100;
const DRY_RUN_DEFAULT_COUNT = 10;

const usage = () => `Usage:
  riffle generate TASK.json [options]
      run the course lab's "kinesis-metrics-stream" generator task
  riffle generate --stream NAME (--data-profile NAME | --template FILE | --template-text TEXT) [options]
      send built-in or templated test data

What (without a task file):
  --data-profile NAME  a built-in profile:
${Object.entries(dataProfiles).map(([name, kind]) => `                         ${name.padEnd(13)}${kind.summary}`).join('\n')}
  --template FILE      a record template with KDG/faker placeholders: {{name.firstName}}, {{random.number(70)}},
                       {{random.number({"min":10,"max":150})}}, {{random.arrayElement(["OK","FAIL","WARN"])}},
                       {{date.now("YYYY-MM-DD HH:mm:ss")}}; each record is the template trimmed, line breaks
                       removed, plus a newline, as KDG sends it
  --template-text TEXT the template itself
  --count N            send N records (--dry-run: ${DRY_RUN_DEFAULT_COUNT} unless --count or --duration)
  --duration TIME      stop after TIME (500ms, 30s, 5m, 1h); with neither, run until Ctrl-C
  --rate SPEC          records a second; as fast as the stream takes them if not given:
  ${RATE_SYNTAX}
  --partition-key K    a field of the record (the profile's natural key by default), or random (a template's
                       default, as KDG)
  --start-time TIME    stamp records with simulated time instead of the clock: TIME (ISO-8601) and then
  --step TIME          TIME apart (default 1s); {{date.now}} and the profiles' timestamps use it

Both:
  --stream NAME        the stream (with a task: instead of its stream.streamName)
  --seed N             the random seed (0-${MAX_SEED}); the same seed gives the same records. Default: a new
                       one, printed in the summary
  --batch N            records per PutRecords call, 1-${MAX_BATCH_RECORDS} (default ${MAX_BATCH_RECORDS}; a call also stays under 5 MiB)
  --dry-run            print the records to stdout (one a line) instead of sending them; same as --output -
  --output FILE        write the records to FILE ('-' for stdout) instead of sending them
  --progress-interval TIME   the progress line on stderr when it is not a terminal (default 5s)
  --no-safety-limit    lift the lab generator's limit of ${REALTIME_SAFETY_LIMIT} records for a realtime task

A task's endpoint: --endpoint-url, else the task's "endpoint", else the environment's (as below); --aws ignores
it. Its region: --region, else stream.region. Its "auth" keys sign the calls instead of your own.

Template helpers: ${helperNames().join(', ')}

${targetUsage}
`;

const options = {
  ...targetOptions,
  stream: { type: 'string' },
  'data-profile': { type: 'string' },
  template: { type: 'string' },
  'template-text': { type: 'string' },
  count: { type: 'string' },
  duration: { type: 'string' },
  rate: { type: 'string' },
  seed: { type: 'string' },
  batch: { type: 'string' },
  'partition-key': { type: 'string' },
  'start-time': { type: 'string' },
  step: { type: 'string' },
  'dry-run': { type: 'boolean' },
  output: { type: 'string' },
  'progress-interval': { type: 'string' },
  'no-safety-limit': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function positiveInteger(text: string | undefined, option: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new CliError(`${option} must be an integer from 1 to ${max} (got ${JSON.stringify(text)})`);
  return value;
}

function duration(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new CliError(`${option} must be a positive duration such as 500ms, 30s, 5m, 1h (got ${JSON.stringify(text)})`);
  return ms;
}

function seedOf(text: string | undefined): number {
  if (text === undefined) return randomSeed();
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > MAX_SEED) throw new CliError(`--seed must be an integer from 0 to ${MAX_SEED} (got ${JSON.stringify(text)})`);
  return value;
}

/** Where records go instead of a stream (--dry-run, --output), or undefined to send them. */
function printTarget(values: Values, io: CommandIo): { out: Writable; close: () => Promise<void> } | undefined {
  const output = values.output ?? (values['dry-run'] ? '-' : undefined);
  if (output === undefined) return undefined;
  if (output === '-') return { out: io.stdout, close: async () => undefined };
  const file = createWriteStream(output);
  return {
    out: file,
    close: async () => {
      file.end();
      await finished(file);
    },
  };
}

function putRecordsWith(client: KinesisClient, streamName: string): PutRecordsCall {
  return async (records) => {
    const answer = await awsCall(`PutRecords to ${streamName}`, () =>
      client.send(new PutRecordsCommand({ StreamName: streamName, Records: records.map((r) => ({ Data: Buffer.from(r.data), PartitionKey: r.partitionKey })) })),
    );
    return { entries: (answer.Records ?? []).map((entry) => ({ errorCode: entry.ErrorCode, errorMessage: entry.ErrorMessage })) };
  };
}

interface Run {
  readonly sink: RecordSink;
  readonly sending: boolean;
  readonly streamName: string | undefined;
  readonly target: KinesisTarget | undefined;
  /** `--batch`: records per PutRecords call, and per step of a paced run. */
  readonly batchRecords: number;
  readonly close: () => Promise<void>;
}

function openRun(values: Values, io: CommandIo, clock: RunClock, streamName: string | undefined, target: () => KinesisTarget): Run {
  const batchRecords = positiveInteger(values.batch, '--batch', MAX_BATCH_RECORDS) ?? MAX_BATCH_RECORDS;
  const printing = printTarget(values, io);
  if (printing) return { sink: printSink(printing.out), sending: false, streamName, target: undefined, batchRecords, close: printing.close };
  if (streamName === undefined) throw new CliError('--stream NAME is required (or --dry-run to print the records)');
  const resolved = target();
  const client = kinesisClient(resolved);
  const sender = new RecordSender(putRecordsWith(client, streamName), clock, { batchRecords });
  return { sink: streamSink(sender), sending: true, streamName, target: resolved, batchRecords, close: async () => client.destroy() };
}

function checkSize(records: readonly { data: string; partitionKey: string }[], generated: number): void {
  records.forEach((record, i) => {
    const bytes = recordBytes(record);
    if (bytes > MAX_RECORD_BYTES) throw new CliError(`record ${generated + i + 1} is ${bytes} bytes with its partition key, over Kinesis' 1 MiB`);
  });
}

function finish(run: Run, progress: RunProgress, generated: number, seed: number, io: CommandIo): number {
  const stats = run.sink.stats;
  const elapsed = progress.elapsedMs;
  if (!run.sending) {
    progress.finish(`riffle generate: printed ${generated} records (nothing sent) in ${formatDuration(elapsed)}; seed ${seed} (--seed ${seed} repeats them)`);
    return 0;
  }
  const retried = stats.retried ? `, ${stats.retried} retried` : '';
  const overtaken = stats.overtaken ? `, ${stats.overtaken} written ahead of an earlier record of their key that was refused and retried` : '';
  progress.finish(
    `riffle generate: sent ${stats.sent} records to ${run.streamName} (${stats.failed} failed${retried}${overtaken}) in ${formatDuration(elapsed)}, ` +
      `${summaryRate(stats.sent, elapsed)}, ${stats.calls ?? 0} PutRecords calls; seed ${seed} (--seed ${seed} repeats the data)`,
  );
  if (stats.failed > 0) {
    writeLine(io.stderr, `riffle generate: ${stats.failed} records failed after their retries; the last error: ${stats.lastError ?? 'unknown'}`);
    return 1;
  }
  return 0;
}

const STREAM_MODE_ONLY = ['data-profile', 'template', 'template-text', 'count', 'duration', 'rate', 'partition-key', 'start-time', 'step'] as const;

async function runTask(file: string, values: Values, io: CommandIo, clock: RunClock): Promise<number> {
  for (const option of STREAM_MODE_ONLY) {
    if (values[option] !== undefined) throw new CliError(`--${option} does not apply to a task file: its timer and iterationsNumber decide what is sent`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const task: MetricsTask = parseMetricsTask(text, file);
  for (const key of task.unknownKeys) writeLine(io.stderr, `riffle generate: ${file}: ${key} is not part of the task format; ignored`);
  const records = task.metrics.length * task.iterationsNumber;
  if (task.timer.type === 'realtime' && records > REALTIME_SAFETY_LIMIT && !values['no-safety-limit']) {
    const components = new Set(task.metrics.map((m) => m.component)).size;
    throw new CliError(
      `${file}: a realtime task sends at most ${REALTIME_SAFETY_LIMIT} records (the lab generator's safety limit); this one sends ${records} ` +
        `(${task.metrics.length} metrics of ${components} components × ${task.iterationsNumber} iterations): lower iterationsNumber, use a synthetic timer, or pass --no-safety-limit`,
    );
  }
  const seed = seedOf(values.seed);
  const random = new SeededRandom(seed);
  const useTaskEndpoint = task.endpoint !== undefined && values['endpoint-url'] === undefined && !values.aws;
  const target = (): KinesisTarget => {
    const resolved = targetFromOptions(
      { ...values, 'endpoint-url': values['endpoint-url'] ?? (useTaskEndpoint ? task.endpoint : undefined), region: values.region ?? task.region },
      io.env,
      task.credentials,
    );
    return useTaskEndpoint ? { ...resolved, source: `${file}'s "endpoint"` } : resolved;
  };
  const run = openRun(values, io, clock, values.stream ?? task.streamName, target);
  try {
    const timer = task.timer.type === 'realtime' ? `realtime, every ${task.timer.rateMillis} ms` : `synthetic, from ${new Date(task.timer.startTime).toISOString()} every ${task.timer.stepMillis} ms`;
    const where = run.target ? ` to ${run.streamName} at ${describeTarget(run.target)}` : ' (dry run: printed, not sent)';
    writeLine(io.stderr, `riffle generate: ${file}${where}: ${task.metrics.length} metrics × ${task.iterationsNumber} iterations, ${timer}; seed ${seed}`);
    const progress = new RunProgress(io.stderr, clock, duration(values['progress-interval'], '--progress-interval') ?? 5000, run.sending ? 'records sent' : 'records printed');
    let generated = 0;
    for await (const tick of taskTicks(task.timer, task.iterationsNumber, clock, io.signal)) {
      const batch = tickRecords(task.metrics, random, tick.timestampMs);
      await run.sink.write(batch, io.signal);
      generated += batch.length;
      progress.update({ generated, ...run.sink.stats });
    }
    const code = finish(run, progress, generated, seed, io);
    return code === 0 && generated < records ? 130 : code;
  } finally {
    await run.close();
  }
}

function streamSource(values: Values, seed: number, random: SeededRandom): { source: RecordSource; what: string } | Promise<{ source: RecordSource; what: string }> {
  const chosen = (['data-profile', 'template', 'template-text'] as const).filter((option) => values[option] !== undefined);
  if (chosen.length === 0) throw new CliError('say what to generate: a TASK.json file, --data-profile NAME, --template FILE or --template-text TEXT (riffle generate --help)');
  if (chosen.length > 1) throw new CliError(`--${chosen[0]} and --${chosen[1]} exclude each other`);
  const key = values['partition-key'] === undefined ? undefined : values['partition-key'] === 'random' ? ({ kind: 'random' } as const) : ({ kind: 'field', field: values['partition-key'] } as const);
  if (key?.kind === 'field' && key.field === '') throw new CliError('--partition-key needs a field name or random');
  const profileName = values['data-profile'];
  if (profileName !== undefined) {
    const kind = Object.hasOwn(dataProfiles, profileName) ? dataProfiles[profileName] : undefined;
    if (!kind) throw new CliError(`--data-profile ${JSON.stringify(profileName)} is not a profile: ${Object.keys(dataProfiles).join(', ')}`);
    return { source: profileSource(kind.create(random), key, seed), what: `profile ${profileName}` };
  }
  if (values['template-text'] !== undefined) {
    return { source: templateSource(compileTemplate(values['template-text'], '--template-text'), random, key, seed), what: 'template' };
  }
  const file = values.template!;
  return readFile(file, 'utf8').then(
    (text) => ({ source: templateSource(compileTemplate(text, file), random, key, seed), what: `template ${file}` }),
    (error: Error) => {
      throw new CliError(`cannot read the template ${file}: ${error.message}`);
    },
  );
}

async function runStream(values: Values, io: CommandIo, clock: RunClock): Promise<number> {
  if (values['no-safety-limit']) throw new CliError('--no-safety-limit applies to a task file only');
  const seed = seedOf(values.seed);
  const random = new SeededRandom(seed);
  const { source, what } = await streamSource(values, seed, random);
  const rate = values.rate === undefined ? undefined : parseRate(values.rate);
  const printing = values['dry-run'] === true || values.output !== undefined;
  let count = positiveInteger(values.count, '--count');
  const durationMs = duration(values.duration, '--duration');
  if (printing && count === undefined && durationMs === undefined) count = DRY_RUN_DEFAULT_COUNT;
  let startTime: number | undefined;
  if (values['start-time'] !== undefined) {
    startTime = Date.parse(values['start-time']);
    if (Number.isNaN(startTime)) throw new CliError(`--start-time must be an ISO-8601 time such as 2024-01-01T00:00:00Z (got ${JSON.stringify(values['start-time'])})`);
  }
  const stepMs = duration(values.step, '--step');
  if (stepMs !== undefined && startTime === undefined) throw new CliError('--step goes with --start-time');
  const step = stepMs ?? 1000;
  const run = openRun(values, io, clock, values.stream, () => targetFromOptions(values, io.env));
  try {
    const where = run.target ? ` to ${run.streamName} at ${describeTarget(run.target)}` : ' (dry run: printed, not sent)';
    const bound = count !== undefined ? `${count} records` : durationMs !== undefined ? `for ${formatDuration(durationMs)}` : 'until stopped';
    writeLine(io.stderr, `riffle generate: ${what}${where}, ${bound}, ${rate ? rate.description : run.sending ? 'as fast as the stream takes them' : 'unpaced'}; seed ${seed}`);
    const { batchRecords } = run;
    const progress = new RunProgress(io.stderr, clock, duration(values['progress-interval'], '--progress-interval') ?? 5000, run.sending ? 'records sent' : 'records printed');
    const pacer = rate ? new RatePacer(rate, clock) : undefined;
    const deadline = durationMs === undefined ? Number.POSITIVE_INFINITY : clock.now() + durationMs;
    let generated = 0;
    while (!io.signal?.aborted && (count === undefined || generated < count)) {
      const want = Math.min(batchRecords, count === undefined ? batchRecords : count - generated);
      const granted = pacer ? await pacer.grant(want, deadline, io.signal) : clock.now() < deadline ? want : 0;
      if (granted === 0) break;
      const records = Array.from({ length: granted }, (_, i) => source(startTime === undefined ? clock.now() : startTime + (generated + i) * step));
      checkSize(records, generated);
      await run.sink.write(records, io.signal);
      generated += granted;
      progress.update({ generated, ...run.sink.stats });
    }
    const code = finish(run, progress, generated, seed, io);
    const bounded = count !== undefined || durationMs !== undefined;
    return code === 0 && bounded && io.signal?.aborted ? 130 : code;
  } finally {
    await run.close();
  }
}

/** `riffle generate`: the lab's task files, built-in profiles and KDG-style templates, to a stream or printed. */
export function generateCommandWith(clock: RunClock): Command {
  return async (args, io) => {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    if (values.help) {
      io.stdout.write(usage());
      return 0;
    }
    if (positionals.length > 1) throw new CliError(`one task file at a time (got ${positionals.join(', ')})`);
    if (values['dry-run'] && values.output !== undefined && values.output !== '-') throw new CliError('--dry-run prints to stdout; --output FILE writes a file: choose one');
    return positionals.length === 1 ? runTask(positionals[0]!, values, io, clock) : runStream(values, io, clock);
  };
}

export const generateCommand: Command = generateCommandWith(systemClock);
