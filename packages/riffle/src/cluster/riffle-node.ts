import { spawn } from 'node:child_process';
import { ClusterProcess } from './cluster-process.js';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/src/cluster -> dist/src/main.js: the nodes are this same riffle. */
const riffleMain = fileURLToPath(new URL('../main.js', import.meta.url));

export interface RiffleEndpoints {
  readonly api: string;
  readonly console: string | undefined;
}

/** One `riffle serve` process of `riffle cluster`; its JSON log lines go to a file. */
export class RiffleNode extends ClusterProcess {

  constructor(
    readonly index: number,
    private readonly serveArgs: readonly string[],
    readonly logFile: string,
  ) {
    super();
  }


  /** Starts it and resolves with its endpoints once it logs "started"; rejects with its last words if it exits first. */
  start(onExit: (code: number | null, signal: string | null) => void): Promise<RiffleEndpoints> {
    mkdirSync(dirname(this.logFile), { recursive: true });
    const log = createWriteStream(this.logFile, { flags: 'a' });
    // Its own process group, as the NATS nodes: `riffle cluster` decides the order of stopping.
    const child = spawn(process.execPath, [riffleMain, 'serve', ...this.serveArgs], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    let exitedEarly: (reason: Error) => void = () => undefined;
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        exitedEarly(new Error(`riffle node ${this.index} exited (${code ?? signal}) before it started: ${stderr.trim() || `see ${this.logFile}`}`));
        onExit(code, signal);
        log.end();
        resolve();
      }),
    );
    child.once('error', () => undefined);
    return new Promise<RiffleEndpoints>((resolve, reject) => {
      exitedEarly = reject;
      let buffered = '';
      let started = false;
      child.stdout!.on('data', (chunk: Buffer) => {
        log.write(chunk);
        if (started) return;
        buffered += chunk.toString();
        for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          const entry = parseLine(line);
          if (entry?.event !== 'started' || typeof entry.port !== 'number') continue;
          started = true;
          buffered = '';
          const scheme = entry.tls === true ? 'https' : 'http';
          const host = typeof entry.host === 'string' && entry.host !== '0.0.0.0' && entry.host !== '::' ? entry.host : '127.0.0.1';
          const urlHost = host.includes(':') ? `[${host}]` : host;
          resolve({
            api: `${scheme}://${urlHost}:${entry.port}`,
            console: typeof entry.consolePort === 'number' ? `${scheme}://${urlHost}:${entry.consolePort}` : undefined,
          });
          return;
        }
      });
    });
  }
}

function parseLine(line: string): { event?: unknown; port?: unknown; consolePort?: unknown; host?: unknown; tls?: unknown } | undefined {
  try {
    return JSON.parse(line) as { event?: unknown };
  } catch {
    return undefined;
  }
}
