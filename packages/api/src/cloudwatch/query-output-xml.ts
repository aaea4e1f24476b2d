import { encodeXml, type XmlElement } from '@riffle/wire';
import type { OperationDescriptor } from '../runtime/operation-descriptor.js';
import type { ShapeTable } from '../runtime/shape.js';
import { javaDouble } from './java-double.js';

/**
 * A query-protocol answer: `<OperationResponse xmlns=…><OperationResult>…</OperationResult><ResponseMetadata>
 * <RequestId>…</RequestId></ResponseMetadata></OperationResponse>`, members in model order, lists as `<member>`
 * elements, maps as `<entry><key/><value/></entry>`, timestamps in ISO 8601, doubles as Java prints them
 * (Smithy's AWS query protocol, "Response serialization").
 */
export function queryResponseXml(
  shapes: ShapeTable,
  operation: string,
  descriptor: OperationDescriptor,
  output: unknown,
  requestId: string,
  xmlNamespace: string,
): Buffer {
  const children: XmlElement[] = [];
  if (descriptor.output !== undefined && output !== undefined && output !== null) {
    const wrapper = descriptor.resultWrapper ?? `${operation}Result`;
    children.push({ name: wrapper, children: structureChildren(shapes, descriptor.output, output as Record<string, unknown>) });
  }
  children.push({ name: 'ResponseMetadata', children: [{ name: 'RequestId', text: requestId }] });
  return encodeXml({ name: `${operation}Response`, attributes: { xmlns: xmlNamespace }, children });
}

function structureChildren(shapes: ShapeTable, shapeName: string, value: Record<string, unknown>): XmlElement[] {
  const shape = shapes[shapeName];
  if (shape?.type !== 'structure') throw new Error(`RIFFLE_ERR_NOT_A_STRUCTURE: ${shapeName}`);
  const children: XmlElement[] = [];
  for (const [name, member] of Object.entries(shape.members)) {
    const memberValue = value[name];
    if (memberValue === undefined || memberValue === null) continue;
    children.push(element(shapes, name, member.target, memberValue));
  }
  return children;
}

function element(shapes: ShapeTable, name: string, shapeName: string, value: unknown): XmlElement {
  const shape = shapes[shapeName];
  switch (shape?.type) {
    case 'structure':
      return { name, children: structureChildren(shapes, shapeName, value as Record<string, unknown>) };
    case 'list':
      return { name, children: (value as unknown[]).filter((item) => item !== null && item !== undefined).map((item) => element(shapes, 'member', shape.member, item)) };
    case 'map':
      return {
        name,
        children: Object.entries(value as Record<string, unknown>)
          .filter(([, item]) => item !== null && item !== undefined)
          .map(([key, item]) => ({ name: 'entry', children: [{ name: 'key', text: key }, element(shapes, 'value', shape.value, item)] })),
      };
    case 'double':
    case 'float':
      return { name, text: javaDouble(value as number) };
    case 'timestamp':
      return { name, text: iso8601(value as Date) };
    case 'blob': {
      const bytes = value as Uint8Array;
      return { name, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
    }
    default:
      return { name, text: String(value) };
  }
}

/** `2016-10-03T23:00:00Z`, as CloudWatch writes whole seconds; milliseconds only when there are some. */
function iso8601(date: Date): string {
  const text = date.toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}
