import type { ConditionContext } from './condition-context.js';
import { appendLiteral, appendPattern } from './wildcard-pattern.js';

/**
 * Policy variables in Resource and condition values (IAM User Guide, "IAM policy elements: Variables and tags"):
 * `${aws:username}`, `${aws:PrincipalTag/team, 'none'}` with a default, and `${*}`, `${?}`, `${$}` for the
 * literal characters. Only policies of Version 2012-10-17 have them; older ones read `${...}` as text.
 */

type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  /** `${*}`, `${?}`, `${$}`: the character itself, never a wildcard. */
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'variable'; readonly key: string; readonly fallback?: string };

export interface PolicyTemplate {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

const variable = /\$\{([^}]*)\}/g;
const keyWithDefault = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/;
const escapes = new Set(['*', '?', '$']);

/** Undefined when the text holds no variable, so most values skip substitution entirely. */
export function parseTemplate(source: string): PolicyTemplate | undefined {
  if (!source.includes('${')) return undefined;
  const parts: TemplatePart[] = [];
  let last = 0;
  let found = false;
  for (const match of source.matchAll(variable)) {
    const inner = match[1]!.trim();
    const escaped = escapes.has(inner) ? inner : undefined;
    const reference = escaped === undefined ? keyWithDefault.exec(inner) : null;
    if (escaped === undefined && reference === null) continue;
    found = true;
    if (match.index > last) parts.push({ kind: 'text', text: source.slice(last, match.index) });
    if (escaped !== undefined) parts.push({ kind: 'literal', text: escaped });
    else parts.push({ kind: 'variable', key: reference![1]!, fallback: reference![2] });
    last = match.index + match[0].length;
  }
  if (!found) return undefined;
  if (last < source.length) parts.push({ kind: 'text', text: source.slice(last) });
  return { source, parts };
}

/** A part's value: for a variable the context key's single value, else its default; undefined when neither exists. */
function valueOf(part: TemplatePart, context: ConditionContext): string | undefined {
  if (part.kind !== 'variable') return part.text;
  return context.single(part.key) ?? part.fallback;
}

/** The text with its variables replaced, or undefined when one cannot be (the value then matches nothing). */
export function substitute(template: PolicyTemplate, context: ConditionContext): string | undefined {
  let text = '';
  for (const part of template.parts) {
    const value = valueOf(part, context);
    if (value === undefined) return undefined;
    text += value;
  }
  return text;
}

/**
 * Wildcard units of a pattern with variables: the template's own `*` and `?` are wildcards, a variable's value
 * (and `${*}`) is literal, so a user named `a*` does not widen a Resource of `.../${aws:username}`.
 */
export function substitutePattern(template: PolicyTemplate, context: ConditionContext): number[] | undefined {
  const units: number[] = [];
  for (const part of template.parts) {
    if (part.kind === 'text') {
      appendPattern(units, part.text);
      continue;
    }
    const value = valueOf(part, context);
    if (value === undefined) return undefined;
    appendLiteral(units, value);
  }
  return units;
}
