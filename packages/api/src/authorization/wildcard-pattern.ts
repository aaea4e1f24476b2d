/**
 * IAM's wildcards: `*` matches any run of characters (none included), `?` exactly one. Matching is a two-pointer
 * scan, O(pattern × value) at worst, so a policy cannot make a request backtrack exponentially as a regular
 * expression could.
 */

/** A pattern unit: a literal UTF-16 code unit (>= 0), or one of the two wildcards. */
const ANY = -1;
const ONE = -2;

export type WildcardUnits = readonly number[];

export interface WildcardPattern {
  readonly source: string;
  matches(value: string): boolean;
}

export interface WildcardOptions {
  /** Action names are matched without regard to case; ARNs and strings with it. */
  readonly ignoreCase?: boolean;
}

/** A raw pattern's units: every `*` and `?` is a wildcard. */
export function wildcardUnits(pattern: string): number[] {
  const units: number[] = [];
  appendPattern(units, pattern);
  return units;
}

export function appendPattern(units: number[], text: string): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    units.push(code === 42 ? ANY : code === 63 ? ONE : code);
  }
}

/** Text whose `*` and `?` stand for themselves (a policy variable's value, `${*}`). */
export function appendLiteral(units: number[], text: string): void {
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i));
}

export function compileWildcard(pattern: string, options: WildcardOptions = {}): WildcardPattern {
  return compileWildcardUnits(wildcardUnits(pattern), pattern, options);
}

/** Precomputes the cheap cases (everything, an exact string, a prefix) so most tests are one comparison. */
export function compileWildcardUnits(units: WildcardUnits, source: string, options: WildcardOptions = {}): WildcardPattern {
  const ignoreCase = options.ignoreCase === true;
  const folded = ignoreCase ? units.map(foldUnit) : units;
  const firstWildcard = folded.findIndex((unit) => unit < 0);
  const fold = (value: string) => (ignoreCase ? value.toLowerCase() : value);
  if (firstWildcard === -1) {
    const exact = unitsToString(folded);
    return { source, matches: (value) => fold(value) === exact };
  }
  if (folded.length === 1 && folded[0] === ANY) return { source, matches: () => true };
  if (firstWildcard === folded.length - 1 && folded[firstWildcard] === ANY) {
    const prefix = unitsToString(folded.slice(0, firstWildcard));
    return { source, matches: (value) => fold(value).startsWith(prefix) };
  }
  return { source, matches: (value) => matchUnits(folded, fold(value)) };
}

function unitsToString(units: WildcardUnits): string {
  let text = '';
  for (const unit of units) text += String.fromCharCode(unit);
  return text;
}

function foldUnit(unit: number): number {
  return unit < 0 ? unit : String.fromCharCode(unit).toLowerCase().charCodeAt(0);
}

/** Greedy scan that, on a mismatch, retries from the last `*` one character further on. */
export function matchUnits(units: WildcardUnits, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    const unit = p < units.length ? units[p]! : undefined;
    if (unit !== undefined && (unit === ONE || unit === value.charCodeAt(v))) {
      p++;
      v++;
    } else if (unit === ANY) {
      star = p++;
      mark = v;
    } else if (star !== -1) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (p < units.length && units[p] === ANY) p++;
  return p === units.length;
}
