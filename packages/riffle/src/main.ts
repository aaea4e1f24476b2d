#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { CliError } from './cli/cli-error.js';
import { processIo } from './cli/command-io.js';
import { clientCommands } from './cli/commands.js';
import { runCluster } from './cluster/cluster-command.js';
import { ConfigError, resolveConfig, settings } from './config.js';
import { createLogger } from './logger.js';
import { startServer, type RunningServer } from './server.js';

// Shard logs sync in parallel on libuv's pool (created at its first use, after this line); its default of 4
// threads would queue fsyncs behind each other.
process.env.UV_THREADPOOL_SIZE ??= '16';

const usage = `riffle: a self-hosted Amazon Kinesis Data Streams server

Usage:
  riffle serve [options]     start the server (Ctrl-C or SIGTERM stops it cleanly)
  riffle cluster [options]   try distributed mode: a local NATS JetStream cluster and Riffle nodes on it
${Object.entries(clientCommands).map(([name, { summary }]) => `  riffle ${name} ...`.padEnd(29) + summary).join('\n')}
  riffle --help              this text
  riffle COMMAND --help      every option of a command

The client commands talk to --endpoint-url, else AWS_ENDPOINT_URL_KINESIS, else AWS_ENDPOINT_URL, else the local
Riffle (http://127.0.0.1:4567); --aws talks to real AWS.
Point any AWS SDK or the AWS CLI at it: aws --endpoint-url http://127.0.0.1:4567 kinesis list-streams
`;

/** Presence flags (`--tls`); every other setting takes a value (`--throughput off`). */
const isPresenceFlag = (s: (typeof settings)[number]) => s.kind === 'boolean' && s.default === false;

function serveUsage(): string {
  const rows = settings.map((s) => {
    const value = isPresenceFlag(s) ? '' : s.kind === 'boolean' ? ' on|off' : s.choices ? ` ${s.choices.join('|')}` : ' <value>';
    const fallback = typeof s.default === 'function' ? 'depends on --region' : s.default === undefined ? 'none' : s.kind === 'boolean' ? (s.default ? 'on' : 'off') : String(s.default);
    return `  --${s.flag}${value}\n      ${s.description}.\n      env ${s.env}; default ${fallback}`;
  });
  return `Usage: riffle serve [options]\n\nOptions:\n${rows.join('\n')}\n  -h, --help\n      this text\n`;
}

async function serve(args: string[]): Promise<void> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const s of settings) options[s.flag] = { type: isPresenceFlag(s) ? 'boolean' : 'string' };
  const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
  if (values.help) {
    process.stdout.write(serveUsage());
    return;
  }
  const config = resolveConfig(values as Record<string, string | boolean | undefined>, process.env);
  const log = createLogger(config.logLevel);
  let server: RunningServer | undefined;
  let stopping = false;
  let stopAsked: string | undefined;
  const stop = (signal: string) => {
    if (stopping) return;
    // A signal during start-up (the "started" line is already out) is honoured once the server is up.
    if (!server) {
      stopAsked = signal;
      return;
    }
    stopping = true;
    log({ event: 'stopping', signal });
    server.close().then(
      () => {
        log({ event: 'stopped' });
        process.exit(0);
      },
      (error: unknown) => {
        log({ level: 'error', event: 'shutdown-failed', error: String(error) });
        process.exit(1);
      },
    );
  };
  // Installed before the server starts: a SIGTERM sent as soon as "started" is read must not kill it unclean.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // SIGHUP reloads (the access-key file, the TLS certificate) instead of ending the process.
  process.on('SIGHUP', () => {
    if (server === undefined || stopping) return;
    log({ event: 'reloading', signal: 'SIGHUP' });
    server.reload().catch((error: unknown) => log({ level: 'error', event: 'reload-failed', error: String(error) }));
  });
  server = await startServer(config, log);
  if (stopAsked !== undefined) stop(stopAsked);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage);
    return;
  }
  if (command === 'serve') return serve(rest);
  if (command === 'cluster') {
    const io = { out: (line: string) => process.stdout.write(`${line}\n`), err: (line: string) => process.stderr.write(`${line}\n`) };
    process.exitCode = await runCluster(rest, process.env, io);
    return;
  }
  const client = Object.hasOwn(clientCommands, command) ? clientCommands[command] : undefined;
  if (client !== undefined) {
    // Riffle pins its SDK version; the SDK's warning is about later versions needing Node 22, noise on every command.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const run = await client.load();
    // SIGINT/SIGTERM abort a running command (tail, generate), which then stops cleanly; a second one ends it.
    const stop = new AbortController();
    const onSignal = () => (stop.signal.aborted ? process.exit(130) : stop.abort());
    // `riffle streams list | head`: a reader that closes the pipe early stops the command as Ctrl-C would, so that it
    // winds down as it does then (tail deregisters the consumer it was asked to), and it ends quietly with 0, as shell
    // tools end. Writes after that fail too (the stream is destroyed); they are not news.
    let outputClosed = false;
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (outputClosed) return;
      if (error.code !== 'EPIPE') {
        process.stderr.write(`riffle ${command}: cannot write the output: ${error.message}\n`);
        process.exit(1);
      }
      outputClosed = true;
      stop.abort();
    });
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      process.exitCode = await run(rest, processIo(stop.signal));
    } catch (error) {
      // A write the command awaited fails with the closed pipe's own error: the end the reader asked for.
      const closedPipe = outputClosed && (error as NodeJS.ErrnoException).code === 'EPIPE';
      if (!(error instanceof CliError) && !closedPipe) throw error;
      if (error instanceof CliError && !outputClosed) process.stderr.write(`riffle ${command}: ${error.message}\n`);
      if (error instanceof CliError) process.exitCode = error.exitCode;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (outputClosed) process.exitCode = 0;
    return;
  }
  process.stderr.write(`riffle: unknown command '${command}'\n\n${usage}`);
  process.exitCode = 2;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (error as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    process.stderr.write(`riffle: ${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`riffle: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
