import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { EncryptionError, Keyring, type KeyringNeed } from '@riffle/engine';
import { ConfigError, type RiffleConfig } from './config.js';
import type { Logger } from './logger.js';

/** Where the keyring of encryption at rest comes from, and how the engine gets it at its first need. */
export interface KeyringSource {
  /** For the start-up log: `RIFFLE_MASTER_KEY`, the keyring file's path, or `memory` (a key that dies with the process). */
  readonly from: string;
  readonly load: (need: KeyringNeed) => Promise<Keyring>;
}

/** `$XDG_CONFIG_HOME/riffle/keyring.json`, else `~/.config/riffle/keyring.json`: with the user, not with the data. */
export function defaultKeyringPath(env: NodeJS.ProcessEnv): string {
  const configHome = env.XDG_CONFIG_HOME !== undefined && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(configHome, 'riffle', 'keyring.json');
}

/**
 * The keyring the configuration names. A keyring file that exists is read now, so that a bad one stops the
 * start; a missing one is created (random master key, mode 0600) only when encryption first needs it. Without
 * either and with the memory store, the master key lives in memory: so do the records.
 */
export async function openKeyring(config: RiffleConfig, env: NodeJS.ProcessEnv, log: Logger): Promise<KeyringSource> {
  if (config.masterKey !== undefined) {
    const keyring = new Keyring(config.masterKey);
    return { from: 'RIFFLE_MASTER_KEY', load: async () => keyring };
  }
  if (config.keyring === undefined && config.store === 'memory') {
    const keyring = Keyring.generate();
    return { from: 'memory', load: async () => keyring };
  }
  const path = resolve(config.keyring ?? defaultKeyringPath(env));
  if (isInside(config.dataDir, path)) {
    throw new ConfigError(
      `the keyring ${path} is inside the data directory ${resolve(config.dataDir)}: the master key must never be stored with the data it protects. ` +
        'Give --keyring a path outside it, or set RIFFLE_MASTER_KEY',
    );
  }
  let loaded = existsSync(path) ? await readKeyring(path, log) : undefined;
  return {
    from: path,
    load: async (need) => {
      if (loaded) return loaded;
      // A new master key would open none of the data keys already stored.
      if (need === 'read') {
        throw new ConfigError(
          `the data directory ${resolve(config.dataDir)} holds encrypted records, but the keyring ${path} does not exist. ` +
            'Start Riffle with the --keyring file or RIFFLE_MASTER_KEY they were written with',
        );
      }
      return (loaded = await createKeyring(path, log));
    },
  };
}

async function readKeyring(path: string, log: Logger): Promise<Keyring> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
    // As ssh does with private keys: say so when others may read it.
    if (((await stat(path)).mode & 0o077) !== 0) log({ level: 'warn', event: 'keyring-readable-by-others', path, fix: `chmod 600 ${path}` });
  } catch (error) {
    throw new ConfigError(`cannot read the keyring ${path}: ${(error as Error).message}`);
  }
  try {
    return Keyring.parse(text);
  } catch (error) {
    if (error instanceof EncryptionError) throw new ConfigError(`${path}: ${error.message}`);
    throw error;
  }
}

/**
 * Writes a new keyring where none is. It is written whole under a temporary name and linked into place, so a
 * reader never sees half a file, and of two Riffles creating it at once the second uses the first one's.
 */
async function createKeyring(path: string, log: Logger): Promise<Keyring> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const keyring = Keyring.generate();
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temporary, 'wx', 0o600);
  try {
    await file.writeFile(keyring.toFileText());
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readKeyring(path, log);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  const directory = await open(dirname(path), 'r');
  await directory.sync().finally(() => directory.close());
  log({ event: 'keyring-created', path, note: 'a random master key for encryption at rest; back this file up: without it encrypted records cannot be read' });
  return keyring;
}

/** Whether `path` is `dir` or under it, symbolic links followed where they exist. */
function isInside(dir: string, path: string): boolean {
  const inner = relative(realOrResolved(dir), realOrResolved(path));
  return inner === '' || (!inner.startsWith(`..${sep}`) && inner !== '..' && !isAbsolute(inner));
}

/** The real path of the nearest existing ancestor, with the rest of the path after it. */
function realOrResolved(path: string): string {
  const absolute = resolve(path);
  let existing = absolute;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    return join(realpathSync(existing), relative(existing, absolute));
  } catch {
    return absolute;
  }
}
