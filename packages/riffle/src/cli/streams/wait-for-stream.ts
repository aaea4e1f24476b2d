import { DescribeStreamSummaryCommand, type KinesisClient, type StreamDescriptionSummary } from '@aws-sdk/client-kinesis';
import { awsErrorLine } from '../aws-error.js';
import { CliError } from '../cli-error.js';
import { sleep as realSleep, type Sleep } from '../sleep.js';
import type { StreamRef } from '../stream-ref.js';

export interface WaitOptions {
  /** Give up after this long (the AWS CLI's stream-exists waiter gives up after 18 × 10 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal | undefined;
  readonly sleep?: Sleep;
  readonly now?: () => number;
}

const firstDelayMs = 100;
const longestDelayMs = 5_000;

/** Polls DescribeStreamSummary until the stream is ACTIVE (or gone, for `until: 'deleted'`), bounded by timeoutMs. */
export async function waitForStream(client: KinesisClient, stream: StreamRef, until: 'active' | 'deleted', options: WaitOptions = {}): Promise<StreamDescriptionSummary | undefined> {
  const { timeoutMs = 180_000, signal, sleep = realSleep, now = Date.now } = options;
  const name = stream.StreamName ?? stream.StreamARN;
  const deadline = now() + timeoutMs;
  let delay = firstDelayMs;
  let status = 'unknown';
  for (;;) {
    let summary: StreamDescriptionSummary | undefined;
    try {
      summary = (await client.send(new DescribeStreamSummaryCommand({ ...stream }))).StreamDescriptionSummary;
    } catch (error) {
      if ((error as { name?: string }).name === 'ResourceNotFoundException' && until === 'deleted') return undefined;
      throw new CliError(`waiting for ${name}: ${awsErrorLine(error)}`, 1);
    }
    status = summary?.StreamStatus ?? 'unknown';
    if (until === 'active' && status === 'ACTIVE') return summary;
    if (until === 'active' && status === 'DELETING') throw new CliError(`${name} is being deleted, it will not become ACTIVE`, 1);
    if (signal?.aborted) throw new CliError(`stopped waiting for ${name} (still ${status})`, 1);
    if (now() + delay > deadline) throw new CliError(`${name} is still ${status} after ${Math.round(timeoutMs / 1000)} s; gave up waiting`, 1);
    await sleep(delay, signal);
    delay = Math.min(delay * 2, longestDelayMs);
  }
}
