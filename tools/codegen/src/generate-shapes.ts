import { generatedHeader } from './generated-header.js';
import type { LoadedService } from './load-service.js';
import { reachableShapes } from './reachable-shapes.js';
import { renderLiteral } from './render-literal.js';
import type { ModelShape } from './service-model.js';

const constraintKinds = ['required', 'pattern', 'min', 'max', 'enum'];
// Coral's order when kinesalite recorded nothing for a service (validations/index.js checks notNull, regex, min, max).
const defaultConstraintOrder = ['required', 'pattern', 'min', 'max', 'enum'];
// kinesalite's childLengths/childKeyLengths texts list the maximum before the minimum.
const defaultElementConstraintOrder = ['max', 'min', 'pattern', 'enum'];

/** `shapes.ts`: the runtime table of every reachable shape, plus the validation ordering rules. */
export function generateShapes(service: LoadedService): string {
  const { model, validationOrder, spec } = service;
  const prefix = spec.name;
  const names = reachableShapes(model);
  const structureOrders = collectStructureOrders(service);
  const table: Record<string, unknown> = {};
  for (const name of names) table[name] = describeShape(name, model.shapes[name]!, structureOrders.get(name));

  const enumDisplayOrder: Record<string, readonly string[]> = {};
  for (const [enumName, order] of Object.entries(validationOrder.enums ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const modelValues = model.shapes[enumName]?.enum;
    if (modelValues === undefined) throw new Error(`validation order names unknown enum ${enumName}`);
    if (order.length !== modelValues.length || !order.every((value) => modelValues.includes(value))) {
      throw new Error(`validation order for enum ${enumName} does not match the model's values`);
    }
    enumDisplayOrder[enumName] = order;
  }
  const rules = {
    constraintOrder: checkedOrder(validationOrder.constraintOrder ?? defaultConstraintOrder),
    elementConstraintOrder: checkedOrder(validationOrder.elementConstraintOrder ?? defaultElementConstraintOrder),
    enumDisplayOrder,
    javaPackage: validationOrder.javaPackage ?? spec.defaultJavaPackage,
  };
  return [
    generatedHeader(service),
    "import type { ServiceModel, ShapeTable, ValidationRules } from '../../runtime/shape.js';",
    '',
    `export const ${prefix}Shapes: ShapeTable = ${renderLiteral(table)};`,
    '',
    `export const ${prefix}ValidationRules: ValidationRules = ${renderLiteral(rules)};`,
    '',
    `export const ${prefix}Model: ServiceModel = { shapes: ${prefix}Shapes, validationRules: ${prefix}ValidationRules };`,
    '',
  ].join('\n');
}

function checkedOrder(order: readonly string[]): readonly string[] {
  for (const kind of order) if (!constraintKinds.includes(kind)) throw new Error(`unknown constraint kind ${kind}`);
  return order;
}

/** Structure name -> full member order (listed members first, the rest in model order). */
function collectStructureOrders(service: LoadedService): Map<string, string[]> {
  const { model, validationOrder } = service;
  const orders = new Map<string, string[]>();
  const add = (structureName: string, listed: readonly string[]): void => {
    const members = Object.keys(model.shapes[structureName]?.members ?? {});
    for (const member of listed) {
      if (!members.includes(member)) throw new Error(`validation order names unknown member ${structureName}.${member}`);
    }
    const full = [...listed, ...members.filter((member) => !listed.includes(member))];
    if (full.join() !== members.join()) orders.set(structureName, full);
  };
  for (const [operationName, listed] of Object.entries(validationOrder.operations ?? {})) {
    const input = model.operations[operationName]?.input?.shape;
    if (input === undefined) throw new Error(`validation order names unknown operation ${operationName}`);
    add(input, listed);
  }
  for (const [structureName, listed] of Object.entries(validationOrder.shapes ?? {})) add(structureName, listed);
  return orders;
}

function describeShape(name: string, shape: ModelShape, validationOrder: string[] | undefined): unknown {
  switch (shape.type) {
    case 'structure': {
      const required = new Set(shape.required ?? []);
      const members: Record<string, unknown> = {};
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        members[member] = {
          target: ref.shape,
          wireName: member,
          required: required.has(member) ? true : undefined,
        };
      }
      return {
        type: 'structure',
        members,
        validationOrder,
        exception: shape.exception === true ? true : undefined,
        eventStream: shape.eventstream === true ? true : undefined,
        event: shape.event === true ? true : undefined,
      };
    }
    case 'list':
      return { type: 'list', member: shape.member!.shape, min: shape.min, max: shape.max };
    case 'map':
      return { type: 'map', key: shape.key!.shape, value: shape.value!.shape, min: shape.min, max: shape.max };
    case 'string':
      return { type: 'string', min: shape.min, max: shape.max, pattern: shape.pattern, enum: shape.enum };
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
    case 'blob':
      return { type: shape.type, min: shape.min, max: shape.max };
    case 'boolean':
    case 'timestamp':
      return { type: shape.type };
    default:
      throw new Error(`unsupported shape type ${shape.type} (${name})`);
  }
}
