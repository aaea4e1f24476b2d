/** An element of an XML answer: text content, or child elements (in order), never both. */
export interface XmlElement {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly text?: string;
  readonly children?: readonly XmlElement[];
}

/**
 * Writes an element tree as XML text (UTF-8), as AWS's query services answer: no XML declaration, no
 * indentation, text and attribute values escaped (`&`, `<`, `>`, quotes); the control characters XML 1.0 cannot
 * carry at all (not even as references) are left out.
 */
export function encodeXml(root: XmlElement): Buffer {
  const parts: string[] = [];
  write(root, parts);
  return Buffer.from(parts.join(''), 'utf8');
}

/** Element names come from models and code, never from requests: a bad one is a bug, found at once. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function write(element: XmlElement, parts: string[]): void {
  if (!NAME.test(element.name)) throw new Error(`invalid XML element name ${JSON.stringify(element.name)}`);
  let open = `<${element.name}`;
  for (const [name, value] of Object.entries(element.attributes ?? {})) {
    if (!NAME.test(name) && name !== 'xmlns') throw new Error(`invalid XML attribute name ${JSON.stringify(name)}`);
    open += ` ${name}="${escapeXml(value)}"`;
  }
  const children = element.children ?? [];
  if (element.text === undefined && children.length === 0) {
    parts.push(`${open}/>`);
    return;
  }
  parts.push(`${open}>`);
  if (element.text !== undefined) parts.push(escapeXml(element.text));
  for (const child of children) write(child, parts);
  parts.push(`</${element.name}>`);
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, (char) => {
    switch (char) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        return '';
    }
  });
}
