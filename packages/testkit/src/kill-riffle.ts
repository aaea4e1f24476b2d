import type { RiffleProcess } from './start-riffle.js';

/** kill -9, as a crash would: no shutdown code runs. Resolves once the process is gone. */
export function killRiffle(riffle: RiffleProcess): Promise<number | string> {
  if (riffle.child.exitCode === null && riffle.child.signalCode === null) riffle.child.kill('SIGKILL');
  return riffle.exited;
}
