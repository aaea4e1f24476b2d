import type { ConditionContext } from './condition-context.js';
import type { PolicyConditionEntry } from './policy-document.js';
import { parseTemplate, substitute, substitutePattern, type PolicyTemplate } from './policy-variables.js';
import { matchUnits, wildcardUnits, type WildcardUnits } from './wildcard-pattern.js';

/**
 * IAM's condition operators (IAM User Guide, "IAM JSON policy elements: Condition operators"). A statement's
 * condition holds when every operator-key pair holds (AND); a pair holds when the request's value matches any
 * of the policy's values (OR), and a negated operator (StringNotEquals, ...) holds when it matches none (NOR).
 * An operator IAM does not define never holds: a Deny with one does not deny, an Allow does not allow.
 */

export type CompiledCondition = (context: ConditionContext) => boolean;

interface Comparison<T> {
  /** The policy value in comparable form, or undefined when it can never match (a malformed number or date). */
  readonly prepare: (value: string) => T | undefined;
  /** A policy value with variables: prepared per request from its substituted template. */
  readonly prepareTemplate?: (template: PolicyTemplate, context: ConditionContext) => T | undefined;
  readonly test: (policy: T, request: string) => boolean;
}

interface Operator {
  readonly comparison: Comparison<unknown>;
  readonly negated: boolean;
}

const text = (test: (policy: string, request: string) => boolean): Comparison<string> => ({
  prepare: (value) => value,
  prepareTemplate: (template, context) => substitute(template, context),
  test,
});

const stringEquals = text((policy, request) => policy === request);
const stringEqualsIgnoreCase = text((policy, request) => policy.toLowerCase() === request.toLowerCase());

const stringLike: Comparison<WildcardUnits> = {
  prepare: (value) => wildcardUnits(value),
  prepareTemplate: (template, context) => substitutePattern(template, context),
  test: (units, request) => matchUnits(units, request),
};

const numberOf = (value: string): number | undefined => {
  if (!/^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
};

const numeric = (test: (policy: number, request: number) => boolean): Comparison<number> => ({
  prepare: numberOf,
  prepareTemplate: (template, context) => {
    const value = substitute(template, context);
    return value === undefined ? undefined : numberOf(value);
  },
  test: (policy, request) => {
    const value = numberOf(request);
    return value !== undefined && test(policy, value);
  },
});

/** Dates are ISO 8601 or epoch seconds (aws:EpochTime), in policies and in requests alike. */
const timeOf = (value: string): number | undefined => {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
};

const date = (test: (policy: number, request: number) => boolean): Comparison<number> => ({
  prepare: timeOf,
  prepareTemplate: (template, context) => {
    const value = substitute(template, context);
    return value === undefined ? undefined : timeOf(value);
  },
  test: (policy, request) => {
    const value = timeOf(request);
    return value !== undefined && test(policy, value);
  },
});

const bool: Comparison<string> = {
  prepare: (value) => {
    const folded = value.toLowerCase();
    return folded === 'true' || folded === 'false' ? folded : undefined;
  },
  test: (policy, request) => policy === request.toLowerCase(),
};

const ipAddress: Comparison<Cidr> = {
  prepare: parseCidr,
  prepareTemplate: (template, context) => {
    const value = substitute(template, context);
    return value === undefined ? undefined : parseCidr(value);
  },
  test: (cidr, request) => {
    const address = parseAddress(request);
    return address !== undefined && inCidr(cidr, address);
  },
};

/** ArnEquals and ArnLike both compare each of the six colon-separated parts with wildcards (IAM User Guide). */
const arnLike: Comparison<readonly WildcardUnits[]> = {
  prepare: (value) => arnParts(value)?.map(wildcardUnits),
  prepareTemplate: (template, context) => {
    const units = substitutePattern(template, context);
    return units === undefined ? undefined : splitUnitsAsArn(units);
  },
  test: (parts, request) => {
    const requestParts = arnParts(request);
    return requestParts !== undefined && parts.every((units, i) => matchUnits(units, requestParts[i]!));
  },
};

const operators = new Map<string, Operator>();
function define(name: string, comparison: Comparison<any>, negatedName?: string): void {
  operators.set(name.toLowerCase(), { comparison, negated: false });
  if (negatedName !== undefined) operators.set(negatedName.toLowerCase(), { comparison, negated: true });
}
define('StringEquals', stringEquals, 'StringNotEquals');
define('StringEqualsIgnoreCase', stringEqualsIgnoreCase, 'StringNotEqualsIgnoreCase');
define('StringLike', stringLike, 'StringNotLike');
define('NumericEquals', numeric((p, r) => r === p), 'NumericNotEquals');
define('NumericLessThan', numeric((p, r) => r < p));
define('NumericLessThanEquals', numeric((p, r) => r <= p));
define('NumericGreaterThan', numeric((p, r) => r > p));
define('NumericGreaterThanEquals', numeric((p, r) => r >= p));
define('DateEquals', date((p, r) => r === p), 'DateNotEquals');
define('DateLessThan', date((p, r) => r < p));
define('DateLessThanEquals', date((p, r) => r <= p));
define('DateGreaterThan', date((p, r) => r > p));
define('DateGreaterThanEquals', date((p, r) => r >= p));
define('Bool', bool);
define('IpAddress', ipAddress, 'NotIpAddress');
define('ArnEquals', arnLike, 'ArnNotEquals');
define('ArnLike', arnLike, 'ArnNotLike');

type SetQualifier = 'any' | 'all' | undefined;

/** A statement's whole condition; an empty one always holds. */
export function compileCondition(entries: readonly PolicyConditionEntry[], variables: boolean): CompiledCondition {
  if (entries.length === 0) return () => true;
  const pairs = entries.map((entry) => compileEntry(entry, variables));
  return (context) => {
    for (const pair of pairs) if (!pair(context)) return false;
    return true;
  };
}

function compileEntry(entry: PolicyConditionEntry, variables: boolean): CompiledCondition {
  let name = entry.operator;
  let qualifier: SetQualifier;
  const prefix = /^(ForAnyValue|ForAllValues):/i.exec(name);
  if (prefix) {
    qualifier = prefix[1]!.toLowerCase() === 'foranyvalue' ? 'any' : 'all';
    name = name.slice(prefix[0].length);
  }
  if (name.toLowerCase() === 'null') return compileNull(entry);
  const ifExists = /IfExists$/i.test(name);
  if (ifExists) name = name.slice(0, -'IfExists'.length);
  const operator = operators.get(name.toLowerCase());
  if (operator === undefined) return () => false;

  const matchesAny = compileValues(operator.comparison, entry.values, variables);
  const { key } = entry;
  const { negated } = operator;
  return (context) => {
    const values = context.values(key);
    if (values === undefined || values.length === 0) {
      if (ifExists || qualifier === 'all') return true;
      if (qualifier === 'any') return false;
      return negated;
    }
    const matches = matchesAny(context);
    if (qualifier === 'all') return values.every((value) => matches(value) !== negated);
    if (qualifier === 'any' && negated) return values.some((value) => !matches(value));
    const any = values.some(matches);
    return negated ? !any : any;
  };
}

/** Null: `true` holds when the key is absent, `false` when it is present; its values are OR-ed like any other. */
function compileNull(entry: PolicyConditionEntry): CompiledCondition {
  const wantAbsent = entry.values.map((value) => value.toLowerCase());
  return (context) => {
    const values = context.values(entry.key);
    const absent = values === undefined || values.length === 0;
    return wantAbsent.some((value) => (value === 'true' ? absent : value === 'false' ? !absent : false));
  };
}

/** Policy values prepared once; those with variables are prepared per request, and match nothing if unresolved. */
function compileValues(
  comparison: Comparison<unknown>,
  values: readonly string[],
  variables: boolean,
): (context: ConditionContext) => (request: string) => boolean {
  const fixed: unknown[] = [];
  const templates: PolicyTemplate[] = [];
  for (const value of values) {
    const template = variables && comparison.prepareTemplate !== undefined ? parseTemplate(value) : undefined;
    if (template !== undefined) {
      templates.push(template);
      continue;
    }
    const prepared = comparison.prepare(value);
    if (prepared !== undefined) fixed.push(prepared);
  }
  const test = comparison.test;
  const staticMatcher = (request: string) => fixed.some((policy) => test(policy, request));
  if (templates.length === 0) return () => staticMatcher;
  return (context) => {
    const prepared = [...fixed];
    for (const template of templates) {
      const value = comparison.prepareTemplate!(template, context);
      if (value !== undefined) prepared.push(value);
    }
    return (request) => prepared.some((policy) => test(policy, request));
  };
}

/** Whether an operator name (with its qualifier and IfExists) is one IAM defines. */
export function isKnownConditionOperator(operator: string): boolean {
  const name = operator.replace(/^(ForAnyValue|ForAllValues):/i, '');
  if (name.toLowerCase() === 'null') return true;
  return operators.has(name.replace(/IfExists$/i, '').toLowerCase());
}

// ---- ARNs ----

/** The six parts of an ARN: the resource part keeps any further colons. */
function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function splitUnitsAsArn(units: readonly number[]): WildcardUnits[] | undefined {
  const parts: number[][] = [[]];
  for (const unit of units) {
    if (unit === 58 && parts.length < 6) parts.push([]);
    else parts[parts.length - 1]!.push(unit);
  }
  return parts.length === 6 ? parts : undefined;
}

// ---- IP addresses ----

interface Cidr {
  readonly version: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

interface Address {
  readonly version: 4 | 6;
  readonly value: bigint;
}

function parseCidr(value: string): Cidr | undefined {
  const [ip, bits, extra] = value.trim().split('/');
  if (extra !== undefined || ip === undefined) return undefined;
  const address = parseAddress(ip);
  if (address === undefined) return undefined;
  const width = address.version === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix >= 0 && prefix <= width)) return undefined;
  return { version: address.version, network: address.value >> BigInt(width - prefix), prefix };
}

function inCidr(cidr: Cidr, address: Address): boolean {
  if (cidr.version !== address.version) return false;
  const width = cidr.version === 4 ? 32 : 128;
  return address.value >> BigInt(width - cidr.prefix) === cidr.network;
}

/** IPv4, IPv6 (with `::` and a dotted tail), and IPv4-mapped IPv6 (`::ffff:10.0.0.1`, what Node reports) as IPv4. */
function parseAddress(text: string): Address | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = parseIpv6(text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { version: 4, value: v6 & 0xffffffffn };
  return { version: 6, value: v6 };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const zone = text.indexOf('%');
  const address = zone === -1 ? text : text.slice(0, zone);
  if (!/^[0-9a-fA-F:.]+$/.test(address)) return undefined;
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  let value = 0n;
  for (const group of [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail]) {
    value = (value << 16n) | BigInt(group);
  }
  return value;
}
