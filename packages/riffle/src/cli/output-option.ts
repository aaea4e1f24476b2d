import { CliError } from './cli-error.js';

export type OutputFormat = 'text' | 'json';

/** `--output text|json` (the AWS CLI's option name), text by default. */
export function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === 'text' || value === 'json') return value ?? 'text';
  throw new CliError(`--output must be text or json, not ${JSON.stringify(value)}`);
}

/** JSON for `--output json`: the SDK's answer without its `$metadata`, dates as ISO 8601. */
export const jsonLine = (value: unknown): string => JSON.stringify(value, (key, v: unknown) => (key === '$metadata' ? undefined : v));
