import { CliError } from './cli-error.js';

/** An option's whole-number value within [min, max], or a CliError naming the option. */
export function integerOption(option: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(`${option} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}, not ${JSON.stringify(value)}`);
  }
  return n;
}
