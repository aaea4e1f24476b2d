import { TemplateError } from './template-error.js';
import type { Position } from './template-node.js';
import type { TemplateValue } from './template-value.js';

/** A resource type's property schema: the part of CloudFormation's registry schema Riffle checks. */
export type PropertySchema =
  | { readonly type: 'string'; readonly minLength?: number; readonly maxLength?: number; readonly pattern?: RegExp; readonly enum?: readonly string[] }
  | { readonly type: 'integer'; readonly minimum?: number; readonly maximum?: number }
  | { readonly type: 'json' }
  | { readonly type: 'array'; readonly items: PropertySchema; readonly maxItems?: number; readonly uniqueItems?: boolean }
  | { readonly type: 'object'; readonly properties: Readonly<Record<string, PropertySchema>>; readonly required?: readonly string[] };

/** Positions of the template's property nodes by JSON pointer, where the template wrote them literally. */
export type PositionOf = (pointer: string) => Position;

/**
 * Checks evaluated properties against a schema with the messages CloudFormation's registry validation prints
 * (`Properties validation failed for resource X with message: #/ShardCount: …`), and returns them normalised
 * (integers given as strings become numbers, as CloudFormation converts them).
 */
export function checkProperties(logicalId: string, schema: Extract<PropertySchema, { type: 'object' }>, value: TemplateValue, positionOf: PositionOf): Record<string, TemplateValue> {
  const fail = (pointer: string, message: string): never => {
    throw new TemplateError(`Properties validation failed for resource ${logicalId} with message: #${pointer}: ${message}`, positionOf(pointer));
  };
  const check = (node: PropertySchema, current: TemplateValue, pointer: string): TemplateValue => {
    switch (node.type) {
      case 'json':
        return current;
      case 'string': {
        if (typeof current === 'number' || typeof current === 'boolean') current = String(current);
        if (typeof current !== 'string') return fail(pointer, `expected type: String, found: ${jsonType(current)}`);
        if (node.enum && !node.enum.includes(current)) return fail(pointer, `${current} is not a valid enum value (one of ${node.enum.join(', ')})`);
        if (node.minLength !== undefined && current.length < node.minLength) return fail(pointer, `expected minLength: ${node.minLength}, actual: ${current.length}`);
        if (node.maxLength !== undefined && current.length > node.maxLength) return fail(pointer, `expected maxLength: ${node.maxLength}, actual: ${current.length}`);
        if (node.pattern && !node.pattern.test(current)) return fail(pointer, `failed validation constraint for keyword [pattern] (${node.pattern.source})`);
        return current;
      }
      case 'integer': {
        const number = typeof current === 'string' && /^-?\d+$/.test(current.trim()) ? Number(current) : current;
        if (typeof number !== 'number' || !Number.isInteger(number)) return fail(pointer, `expected type: Integer, found: ${jsonType(current)}`);
        if (node.minimum !== undefined && number < node.minimum) return fail(pointer, `${number} is not greater or equal to ${node.minimum}`);
        if (node.maximum !== undefined && number > node.maximum) return fail(pointer, `${number} is not less or equal to ${node.maximum}`);
        return number;
      }
      case 'array': {
        if (!Array.isArray(current)) return fail(pointer, `expected type: JSONArray, found: ${jsonType(current)}`);
        if (node.maxItems !== undefined && current.length > node.maxItems) return fail(pointer, `expected maximum item count: ${node.maxItems}, found: ${current.length}`);
        const items = current.map((item, i) => check(node.items, item, `${pointer}/${i}`));
        if (node.uniqueItems && new Set(items.map((item) => JSON.stringify(item))).size !== items.length) return fail(pointer, 'array items are not unique');
        return items;
      }
      case 'object': {
        if (current === null || typeof current !== 'object' || Array.isArray(current)) return fail(pointer, `expected type: JSONObject, found: ${jsonType(current)}`);
        const fields: Record<string, TemplateValue> = current;
        const extra = Object.keys(fields).find((key) => !(key in node.properties));
        if (extra !== undefined) {
          if (pointer === '') throw new TemplateError(`Encountered unsupported property ${extra}`, positionOf(`/${extra}`));
          return fail(pointer, `extraneous key [${extra}] is not permitted`);
        }
        const missing = (node.required ?? []).find((key) => !(key in fields));
        if (missing !== undefined) return fail(pointer, `required key [${missing}] not found`);
        return Object.fromEntries(Object.entries(fields).map(([key, item]) => [key, check(node.properties[key]!, item, `${pointer}/${key}`)]));
      }
    }
  };
  return check(schema, value, '') as Record<string, TemplateValue>;
}

function jsonType(value: TemplateValue): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'JSONArray';
  if (typeof value === 'object') return 'JSONObject';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'BigDecimal';
  return typeof value === 'string' ? 'String' : 'Boolean';
}
