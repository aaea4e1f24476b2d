/** How each record's text is turned into its bytes: as given, or decoded from base64 or hex. */
export type DataEncoding = 'raw' | 'base64' | 'hex';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** The record's bytes; throws an Error saying why the text is not valid base64 or hex. */
export function recordData(text: Buffer, encoding: DataEncoding): Buffer {
  if (encoding === 'raw') return text;
  const trimmed = text.toString('latin1').trim();
  if (encoding === 'base64') {
    if (!BASE64.test(trimmed) || trimmed.length % 4 === 1) throw new Error('not valid base64');
    return Buffer.from(trimmed, 'base64');
  }
  if (!HEX.test(trimmed)) throw new Error(trimmed.length % 2 === 1 ? 'not valid hex (an odd number of digits)' : 'not valid hex');
  return Buffer.from(trimmed, 'hex');
}
