import type { CommandIo } from './command-io.js';

/** A `riffle` client command: parses its own arguments, resolves with its exit code, throws CliError to fail. */
export type Command = (args: readonly string[], io: CommandIo) => Promise<number>;

/** The client commands, loaded when used so that `riffle serve` starts without them. */
export const clientCommands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  streams: { summary: 'list, create, describe and delete streams', load: async () => (await import('./streams/streams-command.js')).streamsCommand },
  put: { summary: 'put records from arguments, files or stdin (one record a line)', load: async () => (await import('./put/put-command.js')).putCommand },
  tail: { summary: 'print a stream\'s records as they arrive, every shard, across reshards', load: async () => (await import('./tail/tail-command.js')).tailCommand },
  generate: { summary: 'send test data: the lab\'s generator tasks, built-in profiles, templates', load: async () => (await import('./generate/generate-command.js')).generateCommand },
  deploy: { summary: 'create, update or delete the streams of a CloudFormation template', load: async () => (await import('./deploy/deploy-command.js')).deployCommand },
};
