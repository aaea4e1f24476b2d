import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * This node's id in distributed mode, made once and kept in `<data-dir>/node-id`, so that the node is the same one
 * after a restart (it names the channels the node keeps).
 */
export function nodeIdOf(dataDir: string): string {
  const path = join(dataDir, 'node-id');
  try {
    const id = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f]{16}$/.test(id)) return id;
  } catch {
    // Not made yet.
  }
  const id = randomBytes(8).toString('hex');
  writeFileSync(path, `${id}\n`, { mode: 0o600 });
  return id;
}
