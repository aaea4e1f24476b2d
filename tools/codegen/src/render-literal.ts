/** Renders plain data as a deterministic, prettily formatted TypeScript literal. */

const maxLineWidth = 110;
const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function quoteString(value: string): string {
  const json = JSON.stringify(value);
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

export function renderKey(key: string): string {
  return identifier.test(key) ? key : quoteString(key);
}

export function renderLiteral(value: unknown, indent = ''): string {
  const inline = renderInline(value);
  if (inline !== undefined && indent.length + inline.length <= maxLineWidth) return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((item) => `${inner}${renderLiteral(item, inner)},\n`).join('')}${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{\n${entries.map(([k, v]) => `${inner}${renderKey(k)}: ${renderLiteral(v, inner)},\n`).join('')}${indent}}`;
  }
  return renderScalar(value);
}

function renderInline(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const items = value.map(renderInline);
    if (items.some((item) => item === undefined)) return undefined;
    return `[${items.join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const parts: string[] = [];
    for (const [k, v] of entries) {
      const rendered = renderInline(v);
      if (rendered === undefined) return undefined;
      parts.push(`${renderKey(k)}: ${rendered}`);
    }
    return `{ ${parts.join(', ')} }`;
  }
  return renderScalar(value);
}

function renderScalar(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'undefined';
    default:
      if (value === null) return 'null';
      throw new Error(`cannot render ${typeof value}`);
  }
}
