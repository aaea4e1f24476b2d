import { spawn, type ChildProcess } from 'node:child_process';
import { riffleMain } from './start-riffle.js';

/** The environment without the machine's own endpoint settings: tests say where with --endpoint-url or their own. */
export const envWithoutEndpoints = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_ENDPOINT_URL')));

export interface RiffleCommandOptions {
  /** Default: this process's environment without AWS_ENDPOINT_URL*. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Written to stdin, which is then closed (closed at once without it). */
  readonly input?: string | Buffer;
  /** The process is killed after this long (a bound, never an assertion on time). Default 60 s. */
  readonly killAfterMs?: number;
}

/** A `riffle <command>` process a test drives: its output so far, waits on it, its exit. */
export interface RiffleCommand {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<number | null>;
  /** Resolves once `test` holds for the output; rejects when the process exits first or after timeoutMs (a bound). */
  waitFor(test: (stdout: string, stderr: string) => boolean, timeoutMs?: number): Promise<void>;
}

export interface RiffleCommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the real `riffle` command (`node packages/riffle/dist/src/main.js ...args`). */
export function startRiffleCommand(args: readonly string[], options: RiffleCommandOptions = {}): RiffleCommand {
  const child = spawn(process.execPath, [riffleMain, ...args], { env: options.env ?? envWithoutEndpoints(), cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((waiter) => waiter());
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), wake()));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), wake()));
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(options.input);
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => (clearTimeout(killer), wake(), resolve(code))));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor: (test, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (test(stdout, stderr)) return done(resolve);
          if (child.exitCode !== null) done(() => reject(new Error(`riffle exited (${child.exitCode}) first; stdout:\n${stdout}\nstderr:\n${stderr}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`output not seen within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`))), timeoutMs);
        const done = (then: () => void) => (clearTimeout(timer), waiters.delete(check), then());
        waiters.add(check);
        check();
      }),
  };
}

/** Runs the real `riffle` command to its end. */
export async function runRiffleCommand(args: readonly string[], options: RiffleCommandOptions = {}): Promise<RiffleCommandResult> {
  const command = startRiffleCommand(args, options);
  const code = await command.exited;
  return { code, stdout: command.stdout(), stderr: command.stderr() };
}
