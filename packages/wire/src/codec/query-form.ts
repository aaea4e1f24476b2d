import { BodyDecodeError } from './body-decode-error.js';

/** At most this many parameters in one form: far more than any CloudWatch request, bounded against abuse. */
export const MAX_QUERY_PARAMETERS = 20_000;

/**
 * An `application/x-www-form-urlencoded` body (the AWS query protocol's requests) as its parameters in order,
 * names and values percent-decoded with `+` as a space (WHATWG URL standard). A parameter named twice keeps its
 * first value. Throws BodyDecodeError for a bad percent-escape or invalid UTF-8: such a form names no Version, so
 * the pipeline gives it Kinesis's answer.
 */
export function decodeQueryForm(body: Buffer): Map<string, string> {
  const parameters = new Map<string, string>();
  const text = body.toString('utf8');
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(body)) throw new BodyDecodeError('form body is not UTF-8');
  if (text === '') return parameters;
  const pairs = text.split('&');
  if (pairs.length > MAX_QUERY_PARAMETERS) throw new BodyDecodeError('too many form parameters');
  for (const pair of pairs) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeComponent(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : decodeComponent(pair.slice(equals + 1));
    if (!parameters.has(name)) parameters.set(name, value);
  }
  return parameters;
}

function decodeComponent(component: string): string {
  const spaced = component.replace(/\+/g, ' ');
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw new BodyDecodeError('malformed percent-encoding in form body');
  }
}
