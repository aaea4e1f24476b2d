import { CliError } from './cli-error.js';

/**
 * A failed AWS call as one line: the error's `__type` and AWS's message
 * (`ResourceNotFoundException: Stream x under account 000000000000 not found.`), or why the endpoint could not be reached.
 */
export function awsErrorLine(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string; $metadata?: unknown; cause?: { code?: string; message?: string } };
  // Over HTTP/2 the SDK's error is a cancelled stream whose cause is the refused connection.
  if (e.code === 'ECONNREFUSED' || e.cause?.code === 'ECONNREFUSED') return `cannot connect (${e.cause?.message ?? e.message ?? 'ECONNREFUSED'}): is riffle serve running there?`;
  if (e.$metadata !== undefined && e.name) return `${e.name}: ${e.message ?? ''}`.trimEnd();
  return e.message ?? String(error);
}

/** Runs an AWS call, turning its failure into a CliError (exit 1) that says which call failed and why. */
export async function awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${what}: ${awsErrorLine(error)}`, 1);
  }
}
