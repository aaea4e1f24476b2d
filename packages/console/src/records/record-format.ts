export type DataFormat = 'text' | 'json' | 'hex';

const decoder = new TextDecoder('utf-8', { fatal: false });

/** A record's data as the chosen view shows it. JSON that does not parse is shown as text, and said so. */
export function formatData(data: Uint8Array, format: DataFormat): { text: string; note?: string } {
  if (format === 'hex') return { text: hexDump(data) };
  const text = decoder.decode(data);
  if (format === 'text') return { text };
  try {
    return { text: JSON.stringify(JSON.parse(text), null, 2) };
  } catch {
    return { text, note: 'Not JSON: shown as text' };
  }
}

/** 16 bytes a line: offset, bytes in hex, and the printable ASCII beside them. */
export function hexDump(data: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < data.length; offset += 16) {
    const chunk = data.subarray(offset, offset + 16);
    const hex = Array.from(chunk, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(chunk, (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47, ' ')}  ${ascii}`);
  }
  return lines.join('\n');
}
