import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CliError } from '../cli-error.js';
import type { Command } from '../commands.js';
import { writeLine, type CommandIo } from '../command-io.js';
import { kinesisClient } from '../kinesis-target.js';
import { targetFromOptions, targetOptions, targetUsage } from '../target-options.js';
import { discoverAccountId } from './account-id.js';
import { DeployEvents } from './deploy-events.js';
import { HOSTED_RESOURCE_TYPES } from './hosted-resource-types.js';
import { resolveParameters } from './parameters.js';
import { parseTemplate } from './parse-template.js';
import { partitionOf, pseudoParameters, stackIdOf } from './pseudo-parameters.js';
import { dependencyGraph } from './resource-dependencies.js';
import { StackDeployer, type DeployResult } from './stack-deployer.js';
import { checkedStackName, defaultStackName } from './stack-name.js';
import type { StackOutput } from './stack-outputs.js';
import { defaultStateDir, StackStateFile, targetLabel } from './stack-state.js';
import { TemplateError } from './template-error.js';
import { readTemplate } from './template.js';
import { pollingWaiter, WaitTimeoutError } from './waiter.js';

const usage = `Usage: riffle deploy TEMPLATE [options]

Creates or updates the Kinesis resources of a CloudFormation template (YAML or JSON, cdk synth output too) as a
stack: AWS::Kinesis::Stream, AWS::Kinesis::StreamConsumer, AWS::Kinesis::ResourcePolicy. Other resource types are
listed as SKIPPED. Deploying again updates the stack; --delete removes it.

Options:
  --stack-name NAME       the stack (default: the template's file name without extensions)
  --parameter KEY=VALUE   a template parameter's value (repeatable)
  --ssm NAME=VALUE        the value of an SSM parameter an AWS::SSM::Parameter::Value<...> parameter names
                          (repeatable; /cdk-bootstrap/<qualifier>/version needs none)
  --state-dir DIR         where stacks' state is kept (default: $RIFFLE_STATE_DIR, else ~/.riffle/stacks)
  --output text|json      events and outputs as text (default), or events on stderr and a JSON result on stdout
  --delete                delete the stack's resources (dependents first) and its state
  --dry-run               check the template and print what a deploy would do, changing nothing
  -h, --help              this help

${targetUsage}

Exit status: 0 done, 1 an AWS call failed (changes rolled back), 2 a malformed template or bad arguments.`;

function keyValues(values: readonly string[] | undefined, flag: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const item of values ?? []) {
    const equals = item.indexOf('=');
    if (equals <= 0) throw new CliError(`${flag} takes KEY=VALUE, not ${JSON.stringify(item)}`);
    map.set(item.slice(0, equals), item.slice(equals + 1));
  }
  return map;
}

export const deployCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...targetOptions,
      'stack-name': { type: 'string' },
      parameter: { type: 'string', multiple: true },
      ssm: { type: 'string', multiple: true },
      'state-dir': { type: 'string' },
      output: { type: 'string', default: 'text' },
      delete: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    writeLine(io.stdout, usage);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(positionals.length === 0 ? `a TEMPLATE is needed\n${usage}` : `one TEMPLATE at a time, not ${positionals.length}`);
  const output = values.output;
  if (output !== 'text' && output !== 'json') throw new CliError(`--output must be text or json, not ${JSON.stringify(output)}`);
  if (values.delete && values['dry-run']) throw new CliError('--delete and --dry-run exclude each other');
  const file = positionals[0]!;
  const stackName = checkedStackName(values['stack-name'] ?? defaultStackName(file), values['stack-name'] !== undefined);
  const given = keyValues(values.parameter, '--parameter');
  const ssm = keyValues(values.ssm, '--ssm');

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return await deploy(io, { file, text, stackName, given, ssm, output, values });
  } catch (error) {
    if (error instanceof TemplateError) throw new CliError(error.where(file), 2);
    if (error instanceof WaitTimeoutError) throw new CliError(error.message, 1);
    throw error;
  }
};

interface DeployArgs {
  readonly file: string;
  readonly text: string;
  readonly stackName: string;
  readonly given: ReadonlyMap<string, string>;
  readonly ssm: ReadonlyMap<string, string>;
  readonly output: 'text' | 'json';
  readonly values: { 'state-dir'?: string | undefined; delete?: boolean | undefined; 'dry-run'?: boolean | undefined; 'endpoint-url'?: string | undefined; aws?: boolean | undefined; region?: string | undefined; profile?: string | undefined };
}

async function deploy(io: CommandIo, args: DeployArgs): Promise<number> {
  const template = readTemplate(parseTemplate(args.text));
  const parameters = resolveParameters(template.parameters, { given: args.given, ssm: args.ssm });

  const target = targetFromOptions(args.values, io.env);
  const client = kinesisClient(target);
  try {
    const accountId = await discoverAccountId(client);
    const identity = { stackName: args.stackName, region: target.region, accountId };
    const stackId = stackIdOf(identity, targetLabel(target));
    const pseudo = pseudoParameters(identity, stackId);
    const graph = dependencyGraph(template, new Set([...parameters.keys(), ...pseudo.keys()]));
    const stateFile = new StackStateFile(args.values['state-dir'] ?? defaultStateDir(io.env), target, args.stackName);
    const previous = await stateFile.load();
    const local = target.endpoint !== undefined;
    const deployer = new StackDeployer({
      template, graph,
      context: { parameters, pseudo, mappings: template.mappings, conditions: template.conditions, resourceIds: new Set(template.resources.keys()), region: target.region },
      identity: { ...identity, stackId: previous?.stackId ?? stackId, partition: partitionOf(target.region), target: targetLabel(target), templateFile: args.file },
      hostedTypes: HOSTED_RESOURCE_TYPES,
      client,
      // Streams settle in milliseconds on Riffle and in seconds to minutes on AWS (resharding the longest).
      waiter: pollingWaiter({ intervalMs: local ? 100 : 2000, timeoutMs: 15 * 60_000, signal: io.signal }),
      stateFile,
      previous,
      events: new DeployEvents(args.output === 'json' ? io.stderr : io.stdout),
      warn: (line) => writeLine(io.stderr, `riffle deploy: ${line}`),
      dryRun: args.values['dry-run'] === true,
    });
    let result: DeployResult;
    if (args.values.delete) {
      if (!previous) writeLine(io.stderr, `riffle deploy: no state for stack ${args.stackName} at ${stateFile.path}: deleting the resources the template names`);
      result = previous ? await deployer.deleteStack() : await deployer.deleteByTemplate();
    } else {
      result = await deployer.deploy();
    }
    print(io, args, result, { stackId: previous?.stackId ?? stackId, stateFile: stateFile.path, target: targetLabel(target) });
    return 0;
  } finally {
    client.destroy();
  }
}

function print(io: CommandIo, args: DeployArgs, result: DeployResult, where: { stackId: string; stateFile: string; target: string }): void {
  if (args.output === 'json') {
    writeLine(io.stdout, JSON.stringify({ stackName: args.stackName, stackId: where.stackId, status: result.status, target: where.target, stateFile: where.stateFile, resources: result.resources, skipped: result.skipped, outputs: result.outputs }, null, 2));
    return;
  }
  if (result.outputs.length === 0) return;
  writeLine(io.stdout, 'Outputs:');
  for (const output of result.outputs) writeLine(io.stdout, outputLines(output));
}

const outputLines = (output: StackOutput): string =>
  [
    `  ${output.key} = ${output.value ?? `(not available: ${output.unavailable})`}`,
    ...(output.description !== undefined ? [`    Description: ${output.description}`] : []),
    ...(output.exportName !== undefined ? [`    Export: ${output.exportName}`] : []),
  ].join('\n');
