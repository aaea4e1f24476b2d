import type { EngineErrorParams } from '../engine-error.js';

/**
 * The default S3 output key template (Developer Guide, "S3 output key template for Amazon S3 delivery"). The part
 * before the last `/` is the folder, the rest the object name.
 */
export const DEFAULT_OUTPUT_KEY_TEMPLATE =
  'kinesis-channel/!{channel-name}/!{channel-id}/!{yyyy}/!{MM}/!{dd}/!{HH}/' +
  '!{channel-name}-!{channel-id}-!{yyyy}-!{MM}-!{dd}-!{HH}-!{mm}!{extension}';

/** The variables of that page's default template, plus `YY`, which the sibling MSK delivery documents. */
const VARIABLES = new Set(['channel-name', 'channel-id', 'yyyy', 'YY', 'MM', 'dd', 'HH', 'mm', 'extension']);

type Problem = Pick<EngineErrorParams['InvalidObjectKeyTemplate'], 'problem' | 'variable'>;

/** Keys must stay inside their bucket and name an object (the MSK delivery's template rules, the closest published). */
function pathProblem(value: string): Problem | undefined {
  if (value.startsWith('/')) return { problem: 'leadingSlash' };
  if (value.split('/').some((segment) => segment === '..' || segment === '.')) return { problem: 'pathTraversal' };
  return undefined;
}

/** Why a template cannot be used, or undefined. Only known variables, balanced `!{…}`, no path tricks. */
export function outputKeyTemplateProblem(template: string): Problem | undefined {
  const path = pathProblem(template);
  if (path) return path;
  if (template.endsWith('/')) return { problem: 'trailingSlash' };
  for (let at = template.indexOf('!{'); at >= 0; at = template.indexOf('!{', at + 2)) {
    const end = template.indexOf('}', at);
    if (end < 0 || template.slice(at + 2, end).includes('{')) return { problem: 'unbalanced' };
    const name = template.slice(at + 2, end);
    if (!VARIABLES.has(name)) return { problem: 'unknownVariable', variable: name };
  }
  if (template.replace(/!\{[^}]*\}/g, '').includes('}')) return { problem: 'unbalanced' };
  return undefined;
}

/** An ErrorOutputPrefix is a plain key prefix; it only has to stay inside the bucket. */
export function errorOutputPrefixProblem(prefix: string): Problem | undefined {
  return pathProblem(prefix);
}

export interface KeyValues {
  readonly channelName: string;
  readonly channelId: string;
  /** Epoch ms whose UTC date and time fill the time variables. */
  readonly time: number;
  readonly extension: string;
  /** Appended so that every key is unique ("automatically appends a unique suffix to every object key"). */
  readonly unique: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The key for one object. The unique suffix goes before a trailing `!{extension}`, so that the key still ends with
 * it, and at the end otherwise.
 */
export function renderObjectKey(template: string, values: KeyValues): string {
  const date = new Date(values.time);
  const vars: Record<string, string> = {
    'channel-name': values.channelName,
    'channel-id': values.channelId,
    yyyy: String(date.getUTCFullYear()),
    YY: String(date.getUTCFullYear() % 100).padStart(2, '0'),
    MM: pad(date.getUTCMonth() + 1),
    dd: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    mm: pad(date.getUTCMinutes()),
    extension: values.extension,
  };
  const withSuffix = template.endsWith('!{extension}')
    ? `${template.slice(0, -'!{extension}'.length)}-${values.unique}!{extension}`
    : `${template}-${values.unique}`;
  return withSuffix.replace(/!\{([^}]*)\}/g, (_match, name: string) => vars[name] ?? '');
}
