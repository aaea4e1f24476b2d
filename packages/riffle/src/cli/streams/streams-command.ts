import { parseArgs } from 'node:util';
import { CreateStreamCommand, DeleteStreamCommand, IncreaseStreamRetentionPeriodCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { awsCall } from '../aws-error.js';
import { CliError } from '../cli-error.js';
import { writeLine, type CommandIo } from '../command-io.js';
import type { Command } from '../commands.js';
import { describeTarget, kinesisClient } from '../kinesis-target.js';
import { targetFromOptions, targetOptions, targetUsage } from '../target-options.js';
import { jsonLine, outputFormat } from '../output-option.js';
import { integerOption } from '../integer-option.js';
import { describeStream, streamDescriptionText } from './stream-description.js';
import { streamRef } from '../stream-ref.js';
import { listStreams, printStreams } from './streams-list.js';
import { waitForStream } from './wait-for-stream.js';

const usage = `Usage:
  riffle streams list [--output text|json]
  riffle streams create NAME [--shards N | --on-demand] [--retention-hours H] [--tag KEY=VALUE]... [--no-wait]
  riffle streams describe NAME|ARN [--output text|json]
  riffle streams delete NAME|ARN [--enforce-consumer-deletion] [--no-wait]

  list       every stream (all pages): name, status, mode, open shards
  create     a provisioned stream of N shards (default 1) or an on-demand one; waits until it is ACTIVE
  describe   the stream's ARN, status, mode, retention, encryption, consumers, and every shard with its
             hash key range, sequence number range, parents, open or closed
  delete     deletes it and waits until it is gone

Options:
  --shards N                   provisioned shards (default 1)
  --on-demand                  ON_DEMAND capacity mode instead
  --retention-hours H          24 to 8760 (default 24); set once the stream is ACTIVE, so create waits for that
  --tag KEY=VALUE              a tag (repeatable)
  --no-wait                    return at once instead of waiting for ACTIVE (create) or gone (delete)
  --wait                       wait (the default)
  --wait-timeout SECONDS       give up waiting after this long (default 180)
  --enforce-consumer-deletion  delete the stream's registered consumers too
  --output text|json           json: AWS's shapes, dates ISO 8601
  --verbose                    say on stderr where the calls go
  -h, --help                   this text

${targetUsage}
`;

const options = {
  ...targetOptions,
  output: { type: 'string' },
  shards: { type: 'string' },
  'on-demand': { type: 'boolean' },
  'retention-hours': { type: 'string' },
  tag: { type: 'string', multiple: true },
  wait: { type: 'boolean' },
  'no-wait': { type: 'boolean' },
  'wait-timeout': { type: 'string' },
  'enforce-consumer-deletion': { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof options; allowPositionals: true; strict: true }>>['values'];

/** Which options each subcommand takes beyond the target ones; any other is refused. */
const allowed: Record<string, readonly (keyof Values)[]> = {
  list: ['output'],
  create: ['shards', 'on-demand', 'retention-hours', 'tag', 'wait', 'no-wait', 'wait-timeout'],
  describe: ['output'],
  delete: ['enforce-consumer-deletion', 'wait', 'no-wait', 'wait-timeout'],
};
const commonOptions = new Set<string>([...Object.keys(targetOptions), 'verbose', 'help']);

function checkOptions(subcommand: string, values: Values): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || commonOptions.has(name) || allowed[subcommand]!.includes(name as keyof Values)) continue;
    throw new CliError(`streams ${subcommand} takes no --${name}`);
  }
}

function oneName(subcommand: string, names: readonly string[]): string {
  if (names.length !== 1) throw new CliError(`streams ${subcommand} takes one stream name${subcommand === 'create' ? '' : ' or ARN'}, got ${names.length}\n\n${usage}`);
  return names[0]!;
}

function waits(values: Values): boolean {
  if (values.wait && values['no-wait']) throw new CliError('--wait and --no-wait exclude each other');
  return !values['no-wait'];
}

const waitTimeoutMs = (values: Values) => (values['wait-timeout'] === undefined ? 180_000 : integerOption('--wait-timeout', values['wait-timeout'], 1) * 1000);

function tags(values: Values): Record<string, string> | undefined {
  if (values.tag === undefined) return undefined;
  const entries = values.tag.map((tag) => {
    const equals = tag.indexOf('=');
    if (equals < 1) throw new CliError(`--tag ${JSON.stringify(tag)} must be KEY=VALUE`);
    return [tag.slice(0, equals), tag.slice(equals + 1)] as const;
  });
  return Object.fromEntries(entries);
}

async function create(client: KinesisClient, name: string, values: Values, io: CommandIo): Promise<number> {
  if (values.shards !== undefined && values['on-demand']) throw new CliError('--shards and --on-demand exclude each other: an on-demand stream scales its own shards');
  const shards = values.shards === undefined ? 1 : integerOption('--shards', values.shards, 1);
  const retentionHours = values['retention-hours'] === undefined ? undefined : integerOption('--retention-hours', values['retention-hours'], 24, 8760);
  const wait = waits(values);
  const timeoutMs = waitTimeoutMs(values);
  const mode = values['on-demand'] ? 'ON_DEMAND' : 'PROVISIONED';
  await awsCall(`create ${name}`, () =>
    client.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: mode }, ...(mode === 'PROVISIONED' ? { ShardCount: shards } : {}), Tags: tags(values) })),
  );
  const shape = mode === 'ON_DEMAND' ? 'on-demand' : `${shards} shard${shards === 1 ? '' : 's'}`;
  const ref = { StreamName: name };
  if (retentionHours !== undefined && retentionHours !== 24) {
    // Retention changes only on an ACTIVE stream.
    await waitForStream(client, ref, 'active', { timeoutMs, signal: io.signal });
    await awsCall(`set the retention of ${name}`, () => client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: retentionHours })));
  }
  if (!wait) {
    writeLine(io.stdout, `Creating stream ${name} (${shape})`);
    return 0;
  }
  await waitForStream(client, ref, 'active', { timeoutMs, signal: io.signal });
  writeLine(io.stdout, `Created stream ${name} (${shape}${retentionHours === undefined ? '' : `, ${retentionHours} hours retention`}): ACTIVE`);
  return 0;
}

async function remove(client: KinesisClient, nameOrArn: string, values: Values, io: CommandIo): Promise<number> {
  const wait = waits(values);
  const timeoutMs = waitTimeoutMs(values);
  const ref = streamRef(nameOrArn);
  await awsCall(`delete ${nameOrArn}`, () => client.send(new DeleteStreamCommand({ ...ref, EnforceConsumerDeletion: values['enforce-consumer-deletion'] === true ? true : undefined })));
  if (!wait) {
    writeLine(io.stdout, `Deleting stream ${nameOrArn}`);
    return 0;
  }
  await waitForStream(client, ref, 'deleted', { timeoutMs, signal: io.signal });
  writeLine(io.stdout, `Deleted stream ${nameOrArn}`);
  return 0;
}

export const streamsCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  const [subcommand, ...names] = positionals;
  if (values.help || subcommand === 'help') {
    io.stdout.write(usage);
    return 0;
  }
  if (subcommand === undefined) throw new CliError(`name a subcommand: list, create, describe or delete\n\n${usage}`);
  if (!Object.hasOwn(allowed, subcommand)) throw new CliError(`unknown subcommand ${JSON.stringify(subcommand)}: list, create, describe or delete`);
  checkOptions(subcommand, values);
  const output = outputFormat(values.output);
  if (subcommand === 'list' && names.length > 0) throw new CliError(`streams list takes no stream name, got ${JSON.stringify(names[0])}`);
  const name = subcommand === 'list' ? '' : oneName(subcommand, names);
  const target = targetFromOptions(values, io.env);
  if (values.verbose) writeLine(io.stderr, `riffle streams: talking to ${describeTarget(target)}`);
  const client = kinesisClient(target);
  try {
    switch (subcommand) {
      case 'list':
        printStreams(await listStreams(client), output, io);
        return 0;
      case 'describe': {
        const description = await describeStream(client, streamRef(name));
        if (output === 'json') writeLine(io.stdout, jsonLine(description));
        else for (const line of streamDescriptionText(description)) writeLine(io.stdout, line);
        return 0;
      }
      case 'create':
        return await create(client, name, values, io);
      default:
        return await remove(client, name, values, io);
    }
  } finally {
    client.destroy();
  }
};
