import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/testkit/dist/src -> packages/riffle/dist/src/main.js (testkit must not depend on riffle). */
export const riffleMain = fileURLToPath(new URL('../../../riffle/dist/src/main.js', import.meta.url));

export interface RiffleProcess {
  readonly endpoint: string;
  readonly port: number;
  /** With `console: true`: the console port's base URL (http or https, as the API) and number. */
  readonly consoleEndpoint: string | undefined;
  readonly consolePort: number | undefined;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Every stdout line so far (structured JSON logs, one object a line). */
  readonly logs: string[];
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then wait for exit (bounded); removes the temporary data directory. */
  stop(): Promise<number | string>;
}

export interface StartOptions {
  /** Extra `riffle serve` arguments. */
  args?: string[];
  env?: Record<string, string>;
  /** Reuse a data directory (restart tests); otherwise a fresh temporary one is made and removed on stop. */
  dataDir?: string;
  /**
   * Open the console port on an ephemeral port (consoleEndpoint). Off otherwise, so that parallel tests never
   * contend for its fixed default; a test's own --console-port in `args` wins.
   */
  console?: boolean;
  /** Give up waiting for "listening" after this long (a bound, not an assertion). */
  startTimeoutMs?: number;
}

/**
 * The master key of encryption at rest servers get unless a test gives its own (RIFFLE_MASTER_KEY, RIFFLE_KEYRING or
 * --keyring; RIFFLE_MASTER_KEY '' for none): fixed, so that restarts read what was written, and no test writes a
 * keyring into the home directory.
 */
export const TEST_MASTER_KEY = Buffer.alloc(32, 0x5a).toString('base64');

/** Tests and benchmarks not about limits or lifecycle delays run with them switched off (DESIGN.md §4). */
export const fastArgs = [
  '--create-stream-ms', '0', '--delete-stream-ms', '0', '--update-stream-ms', '0',
  '--throughput', 'off', '--control-plane-limits', 'off',
];

export async function startRiffle(options: StartOptions = {}): Promise<RiffleProcess> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'riffle-test-')));
  const consoleArgs = options.args?.includes('--console-port') ? [] : ['--console-port', options.console ? '0' : 'off'];
  const args = [riffleMain, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, ...fastArgs, ...consoleArgs, ...(options.args ?? [])];
  const ownKeyring = ['RIFFLE_MASTER_KEY', 'RIFFLE_KEYRING'].some((name) => options.env?.[name] !== undefined) || args.includes('--keyring');
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...(ownKeyring ? {} : { RIFFLE_MASTER_KEY: TEST_MASTER_KEY, RIFFLE_KEYRING: '' }), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));

  let consolePort: number | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`riffle did not start within ${options.startTimeoutMs ?? 15000} ms; stderr: ${stderr}`));
    }, options.startTimeoutMs ?? 15000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line) as { event?: string; port?: number; consolePort?: number };
          if (entry.event === 'started' && typeof entry.port === 'number') {
            clearTimeout(timer);
            consolePort = entry.consolePort;
            resolve(entry.port);
          }
        } catch {
          /* not a log line */
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`riffle exited (${code}) before listening; stderr: ${stderr}`));
    });
  });

  const tls = args.some((arg) => arg === '--tls' || arg === '--tls-only' || arg === '--tls-cert') || options.env?.RIFFLE_TLS === 'on';
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    consoleEndpoint: consolePort === undefined ? undefined : `${tls ? 'https' : 'http'}://127.0.0.1:${consolePort}`,
    consolePort,
    dataDir,
    child,
    logs,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      const code = await exited;
      clearTimeout(timer);
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
