// Runs one server under test as a child process: free ports, temp dir, readiness by ListStreams, peak RSS, stop.
// The restart benchmark also hands in its own data dir (kept after stop) and stops with SIGKILL.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from './client.mjs';
import { freePort } from './free-port.mjs';

const OUTPUT_TAIL_CHARS = 4_000;
const READY_POLL_MS = 50;

/**
 * @typedef {object} RunningServer
 * @property {number} pid
 * @property {number} port          the plain-HTTP port clients use
 * @property {number[]} pids        every front-end process (one here; a cluster target has one per Riffle node)
 * @property {number[]} ports       their client ports, in the same order (the client spreads its calls over them)
 * @property {number} spawnedAt     performance.now() just before the spawn
 * @property {number} startupMs     spawn until the first successful ListStreams
 * @property {string} dataDir
 * @property {() => Promise<number | undefined>} peakRssBytes  VmHWM of the process (Linux only)
 * @property {() => string} outputTail   last few KB of stdout+stderr, for error reports
 * @property {() => string | undefined} unexpectedExit  how the process ended if it ended before stop()
 * @property {(options?: { signal?: 'SIGTERM' | 'SIGKILL' }) => Promise<{ stopMs: number, code: number | null, signal: string | null, forced: boolean }>} stop
 *           SIGTERM (SIGKILL after stopTimeoutMs) or SIGKILL at once; removes the data dir unless it was handed in
 */

/**
 * @param {import('./servers.mjs').ServerKind} kind
 * @param {{ store: 'memory' | 'file', fsync?: 'always' | 'interval', readyTimeoutMs: number, stopTimeoutMs: number,
 *           dataDir?: string, readyPollMs?: number }} options  a given dataDir is used as is and kept after stop()
 * @returns {Promise<RunningServer>}
 */
export async function startServer(kind, { store, fsync, readyTimeoutMs, stopTimeoutMs, dataDir: givenDataDir, readyPollMs = READY_POLL_MS }) {
  const ports = [];
  for (let i = 0; i < kind.portCount; i++) ports.push(await freePort());
  const dataDir = givenDataDir ?? await mkdtemp(path.join(os.tmpdir(), `riffle-bench-${kind.name}-`));
  const spec = kind.spawnSpec({ ports, store, fsync, dataDir });

  const startedAt = performance.now();
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keepTail = (chunk) => { output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS); };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);
  let exited = false;
  let stopping = false;
  let exitDescription;
  const exitedPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
    exited = true;
    if (!stopping) exitDescription = signal ? `killed by ${signal}` : `exited with code ${code}`;
    resolve({ code, signal });
  }));
  // Synchronous, as an 'exit' listener must be: the process is killed and a temp dir of ours removed.
  const killOnHarnessExit = () => {
    child.kill('SIGKILL');
    if (givenDataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', killOnHarnessExit);

  const stop = async ({ signal = 'SIGTERM' } = {}) => {
    stopping = true;
    process.removeListener('exit', killOnHarnessExit);
    const stopStartedAt = performance.now();
    let forced = false;
    if (!exited) {
      child.kill(signal);
      // Unref'd: a pending stop timeout must not keep the harness alive once the process has exited.
      const stopped = await Promise.race([exitedPromise, sleep(stopTimeoutMs, undefined, { ref: false }).then(() => undefined)]);
      if (!stopped) {
        forced = true;
        child.kill('SIGKILL');
      }
    }
    const { code, signal: exitSignal } = await exitedPromise;
    const stopMs = performance.now() - stopStartedAt;
    if (givenDataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    return { stopMs, code, signal: exitSignal, forced };
  };

  try {
    await waitUntilReady(ports[0], readyTimeoutMs, () => exited, readyPollMs);
  } catch (error) {
    await stop();
    throw new Error(`${kind.name} did not become ready: ${error.message}\n${output}`);
  }
  const startupMs = performance.now() - startedAt;

  return {
    pid: child.pid,
    port: ports[0],
    pids: [child.pid],
    ports: [ports[0]],
    spawnedAt: startedAt,
    startupMs,
    dataDir,
    peakRssBytes: () => readPeakRss(child.pid),
    outputTail: () => output,
    unexpectedExit: () => exitDescription,
    stop,
  };
}

async function waitUntilReady(port, timeoutMs, hasExited, pollMs) {
  const client = createClient({ port });
  const deadline = performance.now() + timeoutMs;
  let lastError;
  try {
    while (performance.now() < deadline) {
      if (hasExited()) throw new Error('process exited');
      try {
        await client.call('ListStreams', '{}');
        return;
      } catch (error) {
        lastError = error;
        await sleep(pollMs);
      }
    }
    throw new Error(`no answer to ListStreams within ${timeoutMs} ms (${lastError?.message ?? 'no attempt'})`);
  } finally {
    await client.close();
  }
}

/** VmHWM (peak resident set) of a process in bytes; undefined off Linux or once it has exited. */
export function readPeakRss(pid) {
  return readStatusBytes(pid, 'VmHWM');
}

/** VmRSS (current resident set) in bytes. */
export function readCurrentRss(pid) {
  return readStatusBytes(pid, 'VmRSS');
}

async function readStatusBytes(pid, field) {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time several processes have used so far, summed; undefined if any of them cannot be read. */
export async function readProcessesCpuMs(pids) {
  const each = await Promise.all(pids.map(readProcessCpuMs));
  return each.includes(undefined) ? undefined : each.reduce((sum, ms) => sum + ms, 0);
}

let clockTicksPerSecond;
/** CPU time (user + system) a process has used so far, in ms; undefined off Linux or once it has exited. */
export async function readProcessCpuMs(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    clockTicksPerSecond ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}
