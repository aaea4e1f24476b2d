import { CliError } from '../cli-error.js';
import { parseDuration } from './duration.js';

/** How many records per second a run sends over time. */
export interface RateShape {
  /** As the user wrote it, normalised: `constant 100/s`, `periodic 10-100/s over 60 s`. */
  readonly description: string;
  /** Records per second at `seconds` after the start. */
  rateAt(seconds: number): number;
  /** Records due in the first `seconds` of the run: the integral of rateAt, non-decreasing. */
  dueBy(seconds: number): number;
}

export const RATE_SYNTAX = `--rate N                                        N records a second
  --rate periodic:min=A,max=B,period=DURATION     a sine from A up to B and back, once a period (starts at A)
  --rate burst:base=A,peak=B,every=DURATION,for=DURATION
                                                  B records a second for the first 'for' of every 'every', A otherwise`;

function fail(spec: string, problem: string): never {
  throw new CliError(`--rate ${JSON.stringify(spec)}: ${problem}; the forms are\n  ${RATE_SYNTAX}`);
}

function parameters(spec: string, body: string, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const part of body.split(',')) {
    const [name, value, ...rest] = part.split('=').map((s) => s.trim());
    if (!name || value === undefined || rest.length > 0) fail(spec, `"${part}" is not name=value`);
    if (!names.includes(name)) fail(spec, `unknown parameter "${name}" (it takes ${names.join(', ')})`);
    if (name in values) fail(spec, `"${name}" is given twice`);
    values[name] = value;
  }
  for (const name of names) if (!(name in values)) fail(spec, `"${name}" is missing`);
  return values;
}

function recordsPerSecond(spec: string, name: string, text: string): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) fail(spec, `${name} must be a number of records a second (got "${text}")`);
  return value;
}

function seconds(spec: string, name: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) fail(spec, `${name} must be a positive duration such as 500ms, 30s, 5m (got "${text}")`);
  return ms / 1000;
}

export function constantRate(perSecond: number): RateShape {
  return { description: `constant ${perSecond}/s`, rateAt: () => perSecond, dueBy: (t) => perSecond * t };
}

export function periodicRate(min: number, max: number, periodSeconds: number): RateShape {
  const swing = (max - min) / 2;
  const omega = (2 * Math.PI) / periodSeconds;
  return {
    description: `periodic ${min}-${max}/s over ${periodSeconds} s`,
    rateAt: (t) => min + swing * (1 - Math.cos(omega * t)),
    dueBy: (t) => min * t + swing * (t - Math.sin(omega * t) / omega),
  };
}

export function burstRate(base: number, peak: number, everySeconds: number, forSeconds: number): RateShape {
  const perPeriod = peak * forSeconds + base * (everySeconds - forSeconds);
  return {
    description: `burst ${base}/s with ${peak}/s for ${forSeconds} s every ${everySeconds} s`,
    rateAt: (t) => (t % everySeconds < forSeconds ? peak : base),
    dueBy: (t) => {
      const periods = Math.floor(t / everySeconds);
      const into = t - periods * everySeconds;
      return periods * perPeriod + peak * Math.min(into, forSeconds) + base * Math.max(0, into - forSeconds);
    },
  };
}

/** Parses `--rate`: `100`, `constant:100`, `periodic:min=..,max=..,period=..`, `burst:base=..,peak=..,every=..,for=..`. */
export function parseRate(spec: string): RateShape {
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? 'constant' : spec.slice(0, colon).trim();
  const body = colon < 0 ? spec.trim() : spec.slice(colon + 1);
  if (kind === 'constant') {
    const perSecond = recordsPerSecond(spec, 'the rate', body.trim());
    if (perSecond <= 0) fail(spec, 'the rate must be above 0');
    return constantRate(perSecond);
  }
  if (kind === 'periodic') {
    const p = parameters(spec, body, ['min', 'max', 'period']);
    const min = recordsPerSecond(spec, 'min', p.min!);
    const max = recordsPerSecond(spec, 'max', p.max!);
    if (max < min) fail(spec, 'max must not be below min');
    if (max <= 0) fail(spec, 'max must be above 0');
    return periodicRate(min, max, seconds(spec, 'period', p.period!));
  }
  if (kind === 'burst') {
    const p = parameters(spec, body, ['base', 'peak', 'every', 'for']);
    const base = recordsPerSecond(spec, 'base', p.base!);
    const peak = recordsPerSecond(spec, 'peak', p.peak!);
    if (peak < base) fail(spec, 'peak must not be below base');
    if (peak <= 0) fail(spec, 'peak must be above 0');
    const every = seconds(spec, 'every', p.every!);
    const during = seconds(spec, 'for', p.for!);
    if (during > every) fail(spec, "'for' must not be longer than 'every'");
    return burstRate(base, peak, every, during);
  }
  return fail(spec, `unknown kind "${kind}"`);
}
