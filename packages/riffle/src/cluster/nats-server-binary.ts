import { accessSync, constants } from 'node:fs';

/** Debian's `nats-server` package installs it here (2.9.10 on bookworm); RIFFLE_NATS_SERVER names another. */
export const DEFAULT_NATS_SERVER = '/usr/sbin/nats-server';

export function natsServerBinary(env: NodeJS.ProcessEnv): string {
  return env.RIFFLE_NATS_SERVER || DEFAULT_NATS_SERVER;
}

/** The binary's path if it can be run, else undefined (the caller says how to install it). */
export function runnableNatsServer(path: string): string | undefined {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}
