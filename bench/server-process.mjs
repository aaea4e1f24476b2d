// Runs one server under test as a child process: free ports, temp dir, readiness by ListStreams, peak RSS, stop.
import { spawn } from 'node:child_process';
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
 * @property {number} startupMs     spawn until the first successful ListStreams
 * @property {() => Promise<number | undefined>} peakRssBytes  VmHWM of the process (Linux only)
 * @property {() => string} outputTail   last few KB of stdout+stderr, for error reports
 * @property {() => string | undefined} unexpectedExit  how the process ended if it ended before stop()
 * @property {() => Promise<void>} stop
 */

/** @returns {Promise<RunningServer>} */
export async function startServer(kind, { store, readyTimeoutMs, stopTimeoutMs }) {
  const ports = [];
  for (let i = 0; i < kind.portCount; i++) ports.push(await freePort());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `riffle-bench-${kind.name}-`));
  const spec = kind.spawnSpec({ ports, store, dataDir });

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
  const killOnHarnessExit = () => child.kill('SIGKILL');
  process.once('exit', killOnHarnessExit);

  const stop = async () => {
    stopping = true;
    process.removeListener('exit', killOnHarnessExit);
    if (!exited) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exitedPromise, sleep(stopTimeoutMs).then(() => undefined)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(ports[0], readyTimeoutMs, () => exited);
  } catch (error) {
    await stop();
    throw new Error(`${kind.name} did not become ready: ${error.message}\n${output}`);
  }
  const startupMs = performance.now() - startedAt;

  return {
    pid: child.pid,
    port: ports[0],
    startupMs,
    peakRssBytes: () => readPeakRss(child.pid),
    outputTail: () => output,
    unexpectedExit: () => exitDescription,
    stop,
  };
}

async function waitUntilReady(port, timeoutMs, hasExited) {
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
        await sleep(READY_POLL_MS);
      }
    }
    throw new Error(`no answer to ListStreams within ${timeoutMs} ms (${lastError?.message ?? 'no attempt'})`);
  } finally {
    await client.close();
  }
}

async function readPeakRss(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
