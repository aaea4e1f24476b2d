import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { TemplateError } from './template-error.js';
import type { MapEntry, Position, TemplateNode } from './template-node.js';

/** CloudFormation's YAML short forms; `!Ref` and `!Condition` drop the `Fn::` of the others. */
const SHORT_FORMS = new Set([
  'Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'If', 'Equals', 'Not', 'Or', 'And', 'Select', 'Split', 'FindInMap',
  'Base64', 'GetAZs', 'ImportValue', 'Cidr', 'Transform', 'Length', 'ToJsonString',
  'Contains', 'EachMemberEquals', 'EachMemberIn', 'RefAll', 'ValueOf', 'ValueOfAll',
]);

/** The first line of a yaml error (the library appends a source excerpt after it). */
const firstLine = (message: string): string => message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');

/**
 * Parses a CloudFormation template, YAML or JSON (JSON through the same YAML parser, so that it has positions too,
 * then checked with JSON.parse so that what is not JSON is not taken as JSON), into position-carrying nodes.
 */
export function parseTemplate(text: string): TemplateNode {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): Position => lineCounter.linePos(offset);
  const [error] = doc.errors;
  if (error) throw new TemplateError(`Template format error: YAML not well-formed: ${firstLine(error.message)}`, at(error.pos[0]));
  if (/^\s*[{[]/.test(text)) checkJson(text, at);
  if (doc.contents === null) throw new TemplateError('Template format error: the template is empty', { line: 1, col: 1 });
  return convert(doc, doc.contents, at);
}

function checkJson(text: string, at: (offset: number) => Position): void {
  try {
    JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = /position (\d+)/.exec(message)?.[1];
    throw new TemplateError(`Template format error: JSON not well-formed: ${message.replace(/ in JSON at position \d+.*$/, '')}`, offset === undefined ? { line: 1, col: 1 } : at(Number(offset)));
  }
}

function convert(doc: Document, node: YamlNode | null, at: (offset: number) => Position, depth = 0): TemplateNode {
  if (depth > 200) throw new TemplateError('Template format error: the template nests deeper than 200 levels', undefined);
  if (node === null) return { kind: 'scalar', value: null, pos: { line: 1, col: 1 } };
  if (isAlias(node)) return convert(doc, node.resolve(doc) ?? null, at, depth + 1);
  const pos = at(node.range?.[0] ?? 0);
  let plain: TemplateNode;
  if (isScalar(node)) {
    const value = node.value;
    plain = {
      kind: 'scalar',
      value: value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : String(value),
      pos,
    };
  } else if (isSeq(node)) {
    plain = { kind: 'list', items: node.items.map((item) => convert(doc, item as YamlNode | null, at, depth + 1)), pos };
  } else if (isMap(node)) {
    const entries = new Map<string, MapEntry>();
    for (const pair of node.items) {
      const key = pair.key as YamlNode | null;
      const keyPos = at(key?.range?.[0] ?? node.range?.[0] ?? 0);
      if (!isScalar(key)) throw new TemplateError('Template format error: a map key must be a plain string', keyPos);
      entries.set(String(key.value), { keyPos, value: convert(doc, pair.value as YamlNode | null, at, depth + 1) });
    }
    plain = { kind: 'map', entries, pos };
  } else {
    throw new TemplateError('Template format error: unsupported YAML node', pos);
  }
  return withShortForm(node.tag, plain);
}

function withShortForm(tag: string | undefined, node: TemplateNode): TemplateNode {
  if (tag === undefined || !tag.startsWith('!') || tag.startsWith('!!')) return node;
  const name = tag.slice(1);
  if (!SHORT_FORMS.has(name)) {
    throw new TemplateError(`Template format error: unknown tag ${tag} (CloudFormation's short forms: ${[...SHORT_FORMS].map((f) => `!${f}`).join(', ')})`, node.pos);
  }
  let value = node;
  if (name === 'GetAtt' && node.kind === 'scalar' && typeof node.value === 'string') {
    // `!GetAtt Res.Attr` is `Fn::GetAtt: [Res, Attr]`; an attribute may itself contain dots (Endpoint.Address).
    const dot = node.value.indexOf('.');
    if (dot > 0) {
      value = { kind: 'list', pos: node.pos, items: [
        { kind: 'scalar', value: node.value.slice(0, dot), pos: node.pos },
        { kind: 'scalar', value: node.value.slice(dot + 1), pos: node.pos },
      ] };
    }
  }
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  return { kind: 'map', entries: new Map([[key, { keyPos: node.pos, value }]]), pos: node.pos };
}
