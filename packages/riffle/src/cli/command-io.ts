import type { Readable, Writable } from 'node:stream';

/** What a command reads and writes, so that tests can run it in-process as well as through `riffle`. */
export interface CommandIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted by SIGINT/SIGTERM: long-running commands (tail, generate) stop cleanly and say what they did. */
  readonly signal?: AbortSignal;
}

export const processIo = (signal?: AbortSignal): CommandIo => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, ...(signal ? { signal } : {}) });

export const writeLine = (stream: Writable, line: string): void => {
  stream.write(`${line}\n`);
};
