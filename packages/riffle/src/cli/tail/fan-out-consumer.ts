import { CliError } from '../cli-error.js';
import type { Sleep } from '../sleep.js';

/** A registered consumer as DescribeStreamConsumer tells of it. */
export interface ConsumerState {
  readonly arn: string;
  /** CREATING, ACTIVE or DELETING */
  readonly status: string;
}

/** The consumer calls of a stream (the SDK's in the command, fakes in tests). */
export interface ConsumerCalls {
  /** undefined when no consumer of that name is registered (ResourceNotFoundException). */
  describe(name: string): Promise<ConsumerState | undefined>;
  /** Throws the SDK's ResourceInUseException when one of that name is registered already. */
  register(name: string): Promise<ConsumerState>;
  deregister(arn: string): Promise<void>;
}

export interface ConsumerWaitOptions {
  readonly signal: AbortSignal;
  readonly sleep: Sleep;
  readonly now: () => number;
  /** Progress lines for stderr. */
  readonly report: (line: string) => void;
  /** How long a consumer may stay CREATING (or DELETING, before it is registered again). */
  readonly waitLimitMs?: number;
  readonly firstIntervalMs?: number;
  readonly longestIntervalMs?: number;
}

/** The consumer tail reads through; `registered` when tail registered it. */
export interface ActiveConsumer {
  readonly name: string;
  readonly arn: string;
  readonly registered: boolean;
}

const errorName = (error: unknown) => (error as { name?: string }).name;

/**
 * The stream's consumer NAME, ACTIVE: registered (RegisterStreamConsumer) when it is not, then waited for with
 * DescribeStreamConsumer until ACTIVE (a consumer cannot read while CREATING or DELETING), within waitLimitMs. One
 * being deleted is waited out and registered again. `active` is false when stopped (Ctrl-C) while waiting;
 * `registered` then still says whether tail registered it, so that --deregister can remove it.
 */
export async function activeConsumer(name: string, calls: ConsumerCalls, options: ConsumerWaitOptions): Promise<{ consumer: ActiveConsumer; active: boolean }> {
  const { signal, sleep, now, report, waitLimitMs = 120_000, firstIntervalMs = 200, longestIntervalMs = 2_000 } = options;
  const deadline = now() + waitLimitMs;
  let interval = firstIntervalMs;
  const pause = async () => {
    await sleep(interval, signal);
    interval = Math.min(interval * 2, longestIntervalMs);
  };
  const tooLong = (status: string) => new CliError(`consumer ${name} is still ${status} after ${Math.round(waitLimitMs / 1000)} s; try again later`, 1);

  let state = await calls.describe(name);
  if (state?.status === 'DELETING') {
    report(`consumer ${name} is being deregistered; waiting to register it again`);
    while (state?.status === 'DELETING') {
      if (now() >= deadline) throw tooLong('DELETING');
      await pause();
      if (signal.aborted) return { consumer: { name, arn: state.arn, registered: false }, active: false };
      state = await calls.describe(name);
    }
  }
  let registered = false;
  if (state === undefined) {
    try {
      state = await calls.register(name);
      registered = true;
      report(`registered consumer ${name} (${state.arn})`);
    } catch (error) {
      // Registered by someone else since the look: use theirs.
      if (errorName(error) !== 'ResourceInUseException') throw error;
      state = await calls.describe(name);
      if (state === undefined) throw error;
    }
  }
  if (state.status !== 'ACTIVE') report(`waiting for consumer ${name} to be ACTIVE (it is ${state.status})`);
  while (state.status !== 'ACTIVE') {
    if (now() >= deadline) throw tooLong(state.status);
    await pause();
    if (signal.aborted) return { consumer: { name, arn: state.arn, registered }, active: false };
    const latest = await calls.describe(name);
    if (latest === undefined) throw new CliError(`consumer ${name} was deregistered while tail waited for it to be ACTIVE`, 1);
    state = latest;
  }
  if (registered) report(`consumer ${name} is ACTIVE`);
  return { consumer: { name, arn: state.arn, registered }, active: true };
}
