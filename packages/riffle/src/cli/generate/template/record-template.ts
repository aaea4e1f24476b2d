import { CliError } from '../../cli-error.js';
import { SeededRandom } from '../seeded-random.js';
import { HelperArgumentError, templateHelpers, type HelperContext, type TemplateHelper } from './template-helpers.js';

type Part = { readonly text: string } | { readonly helper: TemplateHelper; readonly name: string; readonly args: readonly unknown[]; readonly where: string };

/** A compiled KDG-style record template: text with `{{module.helper}}` / `{{module.helper(arguments)}}` placeholders. */
export interface RecordTemplate {
  render(context: HelperContext): string;
}

const NAME = /[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/y;

function position(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return `line ${line}, column ${index - before.lastIndexOf('\n')}`;
}

/** The index of the `)` closing the `(` at `open`, skipping strings and nested brackets; -1 if none. */
function closingParen(text: string, open: number): number {
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') stack.push(c);
    else if (c === ')' || c === ']' || c === '}') {
      stack.pop();
      if (stack.length === 0) return c === ')' ? i : -1;
    }
  }
  return -1;
}

/**
 * Arguments as faker's fake() reads them: JSON (`70`, `{"min":10,"max":150}`, `["OK","FAIL"]`, `"YYYY"`), or a list of
 * JSON values (`1, 10`), or else the raw text as one string (`date.now(YYYY-MM-DD)`).
 */
function parseArguments(raw: string): unknown[] {
  const text = raw.trim();
  if (text === '') return [];
  try {
    return [JSON.parse(text)];
  } catch {
    try {
      return JSON.parse(`[${text}]`) as unknown[];
    } catch {
      return [/^'.*'$/s.test(text) ? text.slice(1, -1) : text];
    }
  }
}

const skipSpace = (text: string, i: number) => {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
};

/**
 * Compiles a template. As KDG does, the record is the template trimmed and with its line breaks removed (so a JSON
 * template spread over lines gives one-line records). Every problem is a CliError naming `source` and the position:
 * an unknown helper, arguments a helper refuses, an unclosed `{{` or `(`.
 */
export function compileTemplate(text: string, source: string): RecordTemplate {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  const fail = (at: number, problem: string): never => {
    throw new CliError(`${source}, ${position(text, at)}: ${problem}`);
  };
  while (i < text.length) {
    if (!text.startsWith('{{', i)) {
      literal += text[i++];
      continue;
    }
    const start = i;
    let j = skipSpace(text, i + 2);
    NAME.lastIndex = j;
    const name = NAME.exec(text)?.[0];
    if (name === undefined) fail(start, `expected a helper name after {{, such as {{name.firstName}} or {{random.number(70)}}`);
    j = skipSpace(text, j + name!.length);
    let args: unknown[] = [];
    if (text[j] === '(') {
      const close = closingParen(text, j);
      if (close < 0) fail(j, `the ( after {{${name} is never closed`);
      args = parseArguments(text.slice(j + 1, close));
      j = skipSpace(text, close + 1);
    }
    if (!text.startsWith('}}', j)) fail(start, `{{${name} is not closed with }}`);
    const helper = Object.hasOwn(templateHelpers, name!) ? templateHelpers[name!] : undefined;
    if (!helper) fail(start, `unknown helper {{${name}}} (riffle generate --help lists the helpers)`);
    const where = `${source}, ${position(text, start)}`;
    // Arguments are checked once now, with a throwaway random, so that a bad template fails before anything is sent.
    try {
      helper!({ random: new SeededRandom(0), timestampMs: 0 }, args);
    } catch (error) {
      if (error instanceof HelperArgumentError) fail(start, `{{${name}}}: ${error.message}`);
      throw error;
    }
    if (literal) parts.push({ text: literal });
    literal = '';
    parts.push({ helper: helper!, name: name!, args, where });
    i = j + 2;
  }
  if (literal) parts.push({ text: literal });
  const cleaned = parts.map((part) => ('text' in part ? { text: part.text.replace(/\r?\n/g, '') } : part));
  if (cleaned.length > 0 && 'text' in cleaned[0]!) cleaned[0] = { text: cleaned[0].text.trimStart() };
  const last = cleaned.length - 1;
  if (last >= 0 && 'text' in cleaned[last]!) cleaned[last] = { text: (cleaned[last] as { text: string }).text.trimEnd() };
  return {
    render(context) {
      let out = '';
      for (const part of cleaned) out += 'text' in part ? part.text : String(part.helper(context, part.args));
      return out;
    },
  };
}

/** The helper names, for --help. */
export const helperNames = (): string[] => Object.keys(templateHelpers).sort();
