import { CliError } from '../cli-error.js';

/** Where tail starts reading the shards it finds at its start (shards created later are read from their start). */
export type StartPosition = { readonly kind: 'TRIM_HORIZON' } | { readonly kind: 'LATEST' } | { readonly kind: 'AT_TIMESTAMP'; readonly timestamp: Date };

/** Epoch numbers above this are milliseconds (in seconds it would be the year 5138). */
const MILLISECONDS_FROM = 1e11;

/** `--timestamp`: ISO 8601 (`2024-05-01T12:00:00Z`) or epoch seconds (as the AWS CLI takes them; milliseconds accepted too). */
export function parseTimestamp(value: string): Date {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    return new Date(n >= MILLISECONDS_FROM ? n : n * 1000);
  }
  const ms = /^\d{4}-\d{2}-\d{2}/.test(trimmed) ? Date.parse(trimmed) : NaN;
  if (Number.isNaN(ms)) throw new CliError(`--timestamp ${JSON.stringify(value)} is not an ISO 8601 time (2024-05-01T12:00:00Z) or epoch seconds`);
  return new Date(ms);
}

/** `--from`, `-a/--from-start` and `--timestamp` together; LATEST when none is given, as `tail -f` starts at the end. */
export function startPosition(from: string | undefined, fromStart: boolean, timestamp: string | undefined): StartPosition {
  const normalised = from?.toLowerCase().replaceAll('_', '-');
  if (normalised !== undefined && !['trim-horizon', 'latest', 'timestamp', 'at-timestamp'].includes(normalised)) {
    throw new CliError(`--from must be trim-horizon, latest or timestamp, not ${JSON.stringify(from)}`);
  }
  if (fromStart && normalised !== undefined && normalised !== 'trim-horizon') throw new CliError(`--from-start and --from ${from} exclude each other`);
  if (timestamp !== undefined) {
    if (fromStart || (normalised !== undefined && normalised !== 'timestamp' && normalised !== 'at-timestamp')) throw new CliError('--timestamp goes with --from timestamp only');
    return { kind: 'AT_TIMESTAMP', timestamp: parseTimestamp(timestamp) };
  }
  if (normalised === 'timestamp' || normalised === 'at-timestamp') throw new CliError('--from timestamp needs --timestamp ISO|EPOCH');
  return fromStart || normalised === 'trim-horizon' ? { kind: 'TRIM_HORIZON' } : { kind: 'LATEST' };
}
