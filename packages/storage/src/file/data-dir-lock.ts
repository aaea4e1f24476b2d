import fs from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'riffle.lock';

/** Another live Riffle has the data directory: two writers would hand out the same sequence numbers. */
export class DataDirInUseError extends Error {
  readonly code = 'RIFFLE_ERR_DATA_DIR_IN_USE';
}

/**
 * Takes `<dataDir>/riffle.lock` for this process: created exclusively with our pid. A lock whose process is gone
 * (a crash, kill -9) is taken over; one held by a live process refuses. Returns the release function.
 */
export function lockDataDir(dataDir: string, pid = process.pid): () => void {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(path, `${pid}\n`, { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(path, 'utf8').trim() === String(pid)) fs.rmSync(path, { force: true });
        } catch {
          // Already gone.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readOrEmpty(path).trim());
    if (Number.isSafeInteger(holder) && holder > 0 && holder !== pid && isRiffleAlive(holder)) {
      throw new DataDirInUseError(`the data directory ${dataDir} is in use by another Riffle (pid ${holder}); stop it or use another --data-dir`);
    }
    // Stale: its process is gone. Removed and taken again; a racing starter loses at the exclusive create.
    fs.rmSync(path, { force: true });
  }
  throw new DataDirInUseError(`could not take the lock ${path}`);
}

function readOrEmpty(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Whether pid is a live Node.js process (so a recycled pid of some other program does not hold the lock). */
function isRiffleAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return /node/i.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    // No /proc (not Linux): a live pid is taken to hold it.
    return true;
  }
}
