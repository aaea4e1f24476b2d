import { generatedHeader } from './generated-header.js';
import type { LoadedService } from './load-service.js';
import { quoteString, renderKey } from './render-literal.js';
import type { ModelShape } from './service-model.js';

// Global types the generated members refer to; a model shape with one of these names would shadow it.
const reservedNames = new Set(['Date', 'Uint8Array', 'Array', 'string', 'number', 'boolean']);

/** `types.ts`: one interface per structure, one union type per string enum. */
export function generateTypes(service: LoadedService): string {
  const { shapes } = service.model;
  const names = Object.keys(shapes).sort();
  const typeOf = (shapeName: string): string => {
    const shape = shapes[shapeName];
    if (shape === undefined) throw new Error(`unknown shape ${shapeName}`);
    return memberType(shapeName, shape, typeOf);
  };
  const blocks: string[] = [];
  for (const name of names) {
    const shape = shapes[name]!;
    if (shape.type === 'structure') {
      if (reservedNames.has(name)) throw new Error(`structure ${name} would shadow a global type`);
      const required = new Set(shape.required ?? []);
      const lines = Object.entries(shape.members ?? {}).map(
        ([member, ref]) => `  ${renderKey(member)}${required.has(member) ? '' : '?'}: ${typeOf(ref.shape)};`,
      );
      blocks.push(lines.length === 0 ? `export interface ${name} {}\n` : `export interface ${name} {\n${lines.join('\n')}\n}\n`);
    } else if (shape.type === 'string' && shape.enum !== undefined) {
      if (reservedNames.has(name)) throw new Error(`enum ${name} would shadow a global type`);
      const values = shape.enum.map(quoteString);
      const oneLine = `export type ${name} = ${values.join(' | ')};\n`;
      blocks.push(oneLine.length <= 111 ? oneLine : `export type ${name} =\n${values.map((v) => `  | ${v}`).join('\n')};\n`);
    }
  }
  return `${generatedHeader(service)}\n${blocks.join('\n')}`;
}

function memberType(name: string, shape: ModelShape, typeOf: (shapeName: string) => string): string {
  switch (shape.type) {
    case 'structure':
      return name;
    case 'string':
      return shape.enum !== undefined ? name : 'string';
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'blob':
      return 'Uint8Array';
    case 'timestamp':
      return 'Date';
    case 'list':
      return `${wrapForArray(typeOf(shape.member!.shape))}[]`;
    case 'map':
      // An index signature, not Record<>: Kinesis has a structure named `Record`.
      return `{ [key: string]: ${typeOf(shape.value!.shape)} }`;
    default:
      throw new Error(`unsupported shape type ${shape.type} (${name})`);
  }
}

function wrapForArray(type: string): string {
  return /^[A-Za-z0-9_$]+(\[\])*$/.test(type) ? type : `(${type})`;
}
