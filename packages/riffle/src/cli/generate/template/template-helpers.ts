import type { SeededRandom } from '../seeded-random.js';
import { wordLists } from '../word-lists.js';
import { MOMENT_DEFAULT_FORMAT, MOMENT_DEFAULT_UTC_FORMAT, formatMoment } from './moment-format.js';

/** What a helper sees: the run's seeded random and the record's time (the clock, or the simulated time of --start-time). */
export interface HelperContext {
  readonly random: SeededRandom;
  readonly timestampMs: number;
}

/** A helper's complaint about its arguments; the template adds the helper's name and position. */
export class HelperArgumentError extends Error {}

export type TemplateHelper = (context: HelperContext, args: readonly unknown[]) => string | number | boolean;

type Options = Record<string, unknown>;
const isOptions = (value: unknown): value is Options => typeof value === 'object' && value !== null && !Array.isArray(value);

function optionalNumber(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new HelperArgumentError(`${what} must be a number`);
  return value;
}

function noArguments(args: readonly unknown[]): void {
  if (args.length > 0) throw new HelperArgumentError('takes no arguments');
}

/** faker's random.number: `()` 0-99999, `(max)`, `({"min":..,"max":..,"precision":..})`; both ends included. */
function randomNumber({ random }: HelperContext, args: readonly unknown[]): number {
  const [first, second] = args;
  let min = 0;
  let max = 99_999;
  let precision = 1;
  if (typeof first === 'number' && typeof second === 'number') [min, max] = [first, second];
  else if (typeof first === 'number') max = first;
  else if (isOptions(first)) {
    min = optionalNumber(first.min, '"min"') ?? 0;
    max = optionalNumber(first.max, '"max"') ?? 99_999;
    precision = optionalNumber(first.precision, '"precision"') ?? 1;
    if (precision <= 0) throw new HelperArgumentError('"precision" must be above 0');
  } else if (first !== undefined) throw new HelperArgumentError('expects a number, or {"min":..,"max":..}');
  if (max < min) throw new HelperArgumentError(`max (${max}) is below min (${min})`);
  const steps = Math.floor((max - min) / precision + 1e-9);
  const value = min + random.integer(0, steps) * precision;
  // Keep the decimals of the precision, not float noise (0.30000000000000004).
  const decimals = precision < 1 ? Math.min(10, Math.ceil(-Math.log10(precision) - 1e-9)) : 0;
  return decimals > 0 ? Number(value.toFixed(decimals)) : value;
}

function randomFloat(context: HelperContext, args: readonly unknown[]): number {
  const [first] = args;
  if (first === undefined) return randomNumber(context, [{ min: 0, max: 99_999, precision: 0.01 }]);
  if (typeof first === 'number') return randomNumber(context, [{ min: 0, max: first, precision: 0.01 }]);
  if (isOptions(first)) return randomNumber(context, [{ precision: 0.01, ...first }]);
  throw new HelperArgumentError('expects a number, or {"min":..,"max":..,"precision":..}');
}

function arrayElement({ random }: HelperContext, args: readonly unknown[]): string | number | boolean {
  const [items] = args;
  const list = items === undefined ? ['a', 'b', 'c'] : items;
  if (!Array.isArray(list) || list.length === 0) throw new HelperArgumentError('expects a non-empty JSON array, e.g. ["OK","FAIL","WARN"]');
  return scalar(random.pick(list));
}

function weightedArrayElement({ random }: HelperContext, args: readonly unknown[]): string | number | boolean {
  const [spec] = args;
  const shape = 'expects {"weights":[0.3,0.2,0.5],"data":["cat","fish","dog"]}';
  if (!isOptions(spec) || !Array.isArray(spec.weights) || !Array.isArray(spec.data)) throw new HelperArgumentError(shape);
  const weights = spec.weights as unknown[];
  const data = spec.data as unknown[];
  if (data.length === 0 || weights.length !== data.length) throw new HelperArgumentError(`${shape}: as many weights as data, at least one`);
  if (!weights.every((w) => typeof w === 'number' && w >= 0)) throw new HelperArgumentError(`${shape}: weights must be numbers of 0 or more`);
  const total = (weights as number[]).reduce((sum, w) => sum + w, 0);
  if (total <= 0) throw new HelperArgumentError(`${shape}: the weights must not all be 0`);
  let draw = random.next() * total;
  for (let i = 0; i < data.length; i++) {
    draw -= weights[i] as number;
    if (draw < 0) return scalar(data[i]);
  }
  return scalar(data[data.length - 1]);
}

/** Array elements go into the text as they would in JavaScript; objects as JSON. */
const scalar = (value: unknown): string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);

function count(args: readonly unknown[], fallback: () => number): number {
  const [n] = args;
  if (n === undefined) return fallback();
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 10_000) throw new HelperArgumentError('expects a count (an integer 0-10000)');
  return n;
}

function dateFormat(args: readonly unknown[]): string | undefined {
  const [format] = args;
  if (format === undefined) return undefined;
  if (typeof format !== 'string') throw new HelperArgumentError('expects a moment.js format string, e.g. "YYYY-MM-DD HH:mm:ss"');
  return format;
}

const words = (random: SeededRandom, n: number) => Array.from({ length: n }, () => random.pick(wordLists.loremWords)).join(' ');
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const sentence = (random: SeededRandom, n: number) => `${capitalised(words(random, n))}.`;
const firstName = (random: SeededRandom) => random.pick(wordLists.firstNames);
const lastName = (random: SeededRandom) => random.pick(wordLists.lastNames);

/** faker's internet.userName: one of `Mary42`, `Mary.Smith`, `Mary_Smith17`. */
function userName(random: SeededRandom, first = firstName(random), last = lastName(random)): string {
  switch (random.integer(0, 2)) {
    case 0: return `${first}${random.integer(0, 99)}`;
    case 1: return `${first}${random.pick(['.', '_'])}${last}`;
    default: return `${first}${random.pick(['.', '_'])}${last}${random.integer(0, 99)}`;
  }
}

const ipv4 = (random: SeededRandom) => Array.from({ length: 4 }, () => random.integer(0, 255)).join('.');
const digits = (random: SeededRandom, pattern: string) => pattern.replace(/#/g, () => String(random.integer(0, 9)));
const domainWord = (random: SeededRandom) => firstName(random).toLowerCase();

const helpers: Record<string, TemplateHelper> = {
  'random.number': randomNumber,
  'random.float': randomFloat,
  'random.arrayElement': arrayElement,
  'random.weightedArrayElement': weightedArrayElement,
  'random.uuid': ({ random }, args) => (noArguments(args), random.uuid()),
  'random.boolean': ({ random }, args) => (noArguments(args), random.chance(0.5)),
  'random.word': ({ random }, args) => (noArguments(args), random.pick([...wordLists.loremWords, ...wordLists.products, ...wordLists.colors])),
  'random.words': ({ random }, args) => words(random, count(args, () => random.integer(1, 3))),
  'random.alphaNumeric': ({ random }, args) => Array.from({ length: count(args, () => 1) }, () => random.pick([...'0123456789abcdefghijklmnopqrstuvwxyz'])).join(''),

  'name.firstName': ({ random }, args) => (noArguments(args), firstName(random)),
  'name.lastName': ({ random }, args) => (noArguments(args), lastName(random)),
  'name.findName': ({ random }, args) => (noArguments(args), `${firstName(random)} ${lastName(random)}`),
  'name.prefix': ({ random }, args) => (noArguments(args), random.pick(wordLists.namePrefixes)),

  'internet.ip': ({ random }, args) => (noArguments(args), ipv4(random)),
  'internet.ipv6': ({ random }, args) => (noArguments(args), Array.from({ length: 8 }, () => random.hex(4)).join(':')),
  'internet.userName': ({ random }, args) => (noArguments(args), userName(random)),
  'internet.email': ({ random }, args) => (noArguments(args), `${userName(random).replace(/[^\w.-]/g, '')}@${random.pick(wordLists.emailProviders)}`),
  'internet.domainWord': ({ random }, args) => (noArguments(args), domainWord(random)),
  'internet.domainName': ({ random }, args) => (noArguments(args), `${domainWord(random)}.${random.pick(wordLists.domainSuffixes)}`),
  'internet.protocol': ({ random }, args) => (noArguments(args), random.pick(['http', 'https'])),
  'internet.url': ({ random }, args) => (noArguments(args), `${random.pick(['http', 'https'])}://${domainWord(random)}.${random.pick(wordLists.domainSuffixes)}`),
  'internet.userAgent': ({ random }, args) => (noArguments(args), random.pick(wordLists.userAgents)),
  'internet.mac': ({ random }, args) => (noArguments(args), Array.from({ length: 6 }, () => random.hex(2)).join(':')),
  'internet.port': ({ random }, args) => (noArguments(args), random.integer(0, 65535)),

  // KDG's date helpers; the time is the record's (the clock, or --start-time's simulated time).
  'date.now': ({ timestampMs }, args) => formatMoment(timestampMs, dateFormat(args) ?? MOMENT_DEFAULT_FORMAT, false),
  'date.utc': ({ timestampMs }, args) => formatMoment(timestampMs, dateFormat(args) ?? MOMENT_DEFAULT_UTC_FORMAT, true),
  'date.simTime': ({ timestampMs }, args) => formatMoment(timestampMs, dateFormat(args) ?? MOMENT_DEFAULT_FORMAT, false),
  'date.timestamp': ({ timestampMs }, args) => (noArguments(args), timestampMs),
  'date.iso': ({ timestampMs }, args) => (noArguments(args), new Date(timestampMs).toISOString()),

  'lorem.word': ({ random }, args) => (noArguments(args), random.pick(wordLists.loremWords)),
  'lorem.words': ({ random }, args) => words(random, count(args, () => 3)),
  'lorem.sentence': ({ random }, args) => sentence(random, count(args, () => random.integer(3, 10))),
  'lorem.sentences': ({ random }, args) => Array.from({ length: count(args, () => random.integer(2, 6)) }, () => sentence(random, random.integer(3, 10))).join(' '),
  'lorem.paragraph': ({ random }, args) => Array.from({ length: count(args, () => 3) + random.integer(0, 3) }, () => sentence(random, random.integer(3, 10))).join(' '),

  'address.city': ({ random }, args) => (noArguments(args), random.chance(0.5) ? `${random.pick(wordLists.cityPrefixes)} ${firstName(random)}` : `${lastName(random)}${random.pick(wordLists.citySuffixes)}`),
  'address.streetName': ({ random }, args) => (noArguments(args), `${lastName(random)} ${random.pick(wordLists.streetSuffixes)}`),
  'address.streetAddress': ({ random }, args) => (noArguments(args), `${random.integer(1, 9999)} ${lastName(random)} ${random.pick(wordLists.streetSuffixes)}`),
  'address.zipCode': ({ random }, args) => (noArguments(args), digits(random, '#####')),
  'address.state': ({ random }, args) => (noArguments(args), random.pick(wordLists.states)[0]),
  'address.stateAbbr': ({ random }, args) => (noArguments(args), random.pick(wordLists.states)[1]),
  'address.country': ({ random }, args) => (noArguments(args), random.pick(wordLists.countries)[0]),
  'address.countryCode': ({ random }, args) => (noArguments(args), random.pick(wordLists.countries)[1]),
  'address.latitude': ({ random }, args) => (noArguments(args), (random.integer(0, 1_800_000) / 10_000 - 90).toFixed(4)),
  'address.longitude': ({ random }, args) => (noArguments(args), (random.integer(0, 3_600_000) / 10_000 - 180).toFixed(4)),

  'commerce.color': ({ random }, args) => (noArguments(args), random.pick(wordLists.colors)),
  'commerce.department': ({ random }, args) => (noArguments(args), random.pick(wordLists.departments)),
  'commerce.product': ({ random }, args) => (noArguments(args), random.pick(wordLists.products)),
  'commerce.productAdjective': ({ random }, args) => (noArguments(args), random.pick(wordLists.productAdjectives)),
  'commerce.productMaterial': ({ random }, args) => (noArguments(args), random.pick(wordLists.productMaterials)),
  'commerce.productName': ({ random }, args) => (noArguments(args), `${random.pick(wordLists.productAdjectives)} ${random.pick(wordLists.productMaterials)} ${random.pick(wordLists.products)}`),
  // faker's commerce.price: a string with two decimals, 0-1000 unless given {"min":..,"max":..}.
  'commerce.price': (context, args) => randomNumber(context, [{ min: 0, max: 1000, ...(isOptions(args[0]) ? args[0] : {}), precision: 0.01 }]).toFixed(2),

  'company.companyName': ({ random }, args) => (noArguments(args), `${lastName(random)} ${random.pick(wordLists.companySuffixes)}`),
  'phone.phoneNumber': ({ random }, args) => (noArguments(args), digits(random, random.pick(['###-###-####', '(###) ###-####', '1-###-###-####', '###.###.####']))),
};

// faker 5+ moved random.number/uuid/boolean/float to datatype.*; templates written for either work.
helpers['datatype.number'] = helpers['random.number']!;
helpers['datatype.float'] = helpers['random.float']!;
helpers['datatype.uuid'] = helpers['random.uuid']!;
helpers['datatype.boolean'] = helpers['random.boolean']!;
helpers['name.fullName'] = helpers['name.findName']!;
// KDG rewrites its older {{current.timestamp}} to {{date.now}}.
helpers['current.timestamp'] = helpers['date.now']!;

export const templateHelpers: Readonly<Record<string, TemplateHelper>> = helpers;
