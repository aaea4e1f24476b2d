import {
  formatValidationError,
  maxValidationErrors,
  renderValidationValue,
  validationPathSegment,
} from './format-validation.js';
import type { ConstraintKind, ServiceModel, ShapeDescriptor, StructureShape } from './shape.js';

/**
 * Checks typed input (the output of `deserialize`) against the model's constraints, in AWS's order
 * (model/validation-order/), and returns at most ten failure texts; empty when the input is valid.
 * Required members, lengths, ranges, patterns and enums are the model's; lists of structures are
 * reported per element (`records.1.member.partitionKey`), constraints on list elements and map keys
 * and values once for the whole collection, as AWS does (kinesalite validations/index.js childLengths).
 */
export function findValidationErrors(model: ServiceModel, shapeName: string, input: unknown): string[] {
  const walker = new ConstraintWalker(model);
  const shape = model.shapes[shapeName];
  if (shape?.type !== 'structure') throw new Error(`RIFFLE_ERR_NOT_A_STRUCTURE: ${shapeName}`);
  walker.checkStructure(shape, (input ?? {}) as Record<string, unknown>, '');
  return walker.errors;
}

const patternCache = new Map<string, RegExp>();

/** Java matches the whole value (`Pattern.matches`); patterns using `\p{…}` need the `u` flag in JavaScript. */
function compilePattern(pattern: string): RegExp {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      compiled = new RegExp(`^(?:${pattern})$`);
    }
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

function lengthOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value instanceof Uint8Array) return value.byteLength;
  return Object.keys(value as object).length;
}

function hasLength(shape: ShapeDescriptor): boolean {
  return shape.type === 'string' || shape.type === 'blob' || shape.type === 'list' || shape.type === 'map';
}

class ConstraintWalker {
  readonly errors: string[] = [];

  constructor(private readonly model: ServiceModel) {}

  private get full(): boolean {
    return this.errors.length >= maxValidationErrors;
  }

  private report(shapeName: string, value: unknown, path: string, constraint: string): void {
    if (this.full) return;
    const rendered = renderValidationValue(this.model.shapes, this.model.validationRules, shapeName, value);
    this.errors.push(formatValidationError(rendered, path, constraint));
  }

  checkStructure(shape: StructureShape, value: Record<string, unknown>, parentPath: string): void {
    const order = shape.validationOrder ?? Object.keys(shape.members);
    for (const name of order) {
      if (this.full) return;
      const member = shape.members[name]!;
      const path = parentPath === '' ? validationPathSegment(name) : `${parentPath}.${validationPathSegment(name)}`;
      this.checkValue(member.target, value[name], path, member.required === true);
    }
  }

  private checkValue(shapeName: string, value: unknown, path: string, required: boolean): void {
    const shape = this.model.shapes[shapeName]!;
    for (const kind of this.model.validationRules.constraintOrder) {
      if (this.full) return;
      if (kind === 'required') {
        if (required && (value === null || value === undefined)) this.report(shapeName, value, path, 'Member must not be null');
        continue;
      }
      if (value === null || value === undefined) continue;
      const failed = this.constraintText(shape, shapeName, kind, value, false);
      if (failed !== undefined) this.report(shapeName, value, path, failed);
    }
    if (value === null || value === undefined || this.full) return;
    switch (shape.type) {
      case 'structure':
        this.checkStructure(shape, value as Record<string, unknown>, path);
        return;
      case 'list':
        this.checkElements(shapeName, shape.member, value as unknown[], path);
        return;
      case 'map':
        this.checkMapEntries(shapeName, shape.key, shape.value, value as Record<string, unknown>, path);
        return;
      default:
        return;
    }
  }

  /**
   * The text of constraint `kind` when `value` breaks it (or, with `always`, whenever the shape has it);
   * undefined when the shape has no such constraint or the value meets it.
   */
  private constraintText(
    shape: ShapeDescriptor,
    shapeName: string,
    kind: ConstraintKind,
    value: unknown,
    always: boolean,
  ): string | undefined {
    switch (kind) {
      case 'pattern':
        if (shape.type !== 'string' || shape.pattern === undefined) return undefined;
        if (!always && compilePattern(shape.pattern).test(value as string)) return undefined;
        return `Member must satisfy regular expression pattern: ${shape.pattern}`;
      case 'min':
      case 'max': {
        if (!('min' in shape || 'max' in shape)) return undefined;
        const limit = kind === 'min' ? (shape as { min?: number }).min : (shape as { max?: number }).max;
        if (limit === undefined) return undefined;
        const measured = hasLength(shape) ? lengthOf(value) : (value as number);
        const ok = kind === 'min' ? measured >= limit : measured <= limit;
        if (!always && ok) return undefined;
        const what = hasLength(shape) ? 'length' : 'value';
        const relation = kind === 'min' ? 'greater than or equal to' : 'less than or equal to';
        return `Member must have ${what} ${relation} ${limit}`;
      }
      case 'enum': {
        if (shape.type !== 'string' || shape.enum === undefined) return undefined;
        if (!always && shape.enum.includes(value as string)) return undefined;
        const shown = this.model.validationRules.enumDisplayOrder[shapeName] ?? shape.enum;
        return `Member must satisfy enum value set: [${shown.join(', ')}]`;
      }
      default:
        return undefined;
    }
  }

  /** "[max text, min text, …]" of a scalar element shape, or undefined when the element breaks none. */
  private elementFailure(shapeName: string, value: unknown): string | undefined {
    const shape = this.model.shapes[shapeName]!;
    const order = this.model.validationRules.elementConstraintOrder;
    const broken = order.some((kind) => this.constraintText(shape, shapeName, kind, value, false) !== undefined);
    if (!broken) return undefined;
    const texts = order
      .map((kind) => this.constraintText(shape, shapeName, kind, value, true))
      .filter((text): text is string => text !== undefined);
    return `[${texts.join(', ')}]`;
  }

  private isScalar(shapeName: string): boolean {
    const type = this.model.shapes[shapeName]!.type;
    return type !== 'structure' && type !== 'list' && type !== 'map';
  }

  private checkElements(listShape: string, memberShape: string, items: unknown[], path: string): void {
    if (this.isScalar(memberShape)) {
      for (const item of items) {
        if (item === null || item === undefined) continue;
        const failure = this.elementFailure(memberShape, item);
        if (failure !== undefined) {
          this.report(listShape, items, path, `Member must satisfy constraint: ${failure}`);
          break;
        }
      }
      items.forEach((item, index) => {
        if (item === null || item === undefined) this.report(memberShape, item, `${path}.${index + 1}.member`, 'Member must not be null');
      });
      return;
    }
    for (let index = 0; index < items.length && !this.full; index++) {
      this.checkValue(memberShape, items[index], `${path}.${index + 1}.member`, true);
    }
  }

  private checkMapEntries(
    mapShape: string,
    keyShape: string,
    valueShape: string,
    entries: Record<string, unknown>,
    path: string,
  ): void {
    const keys = Object.keys(entries);
    for (const key of keys) {
      const failure = this.elementFailure(keyShape, key);
      if (failure !== undefined) {
        this.report(mapShape, entries, path, `Map keys must satisfy constraint: ${failure}`);
        break;
      }
    }
    if (this.isScalar(valueShape)) {
      for (const key of keys) {
        const entry = entries[key];
        const failure = entry === null || entry === undefined ? undefined : this.elementFailure(valueShape, entry);
        if (failure !== undefined) {
          this.report(mapShape, entries, path, `Map value must satisfy constraint: ${failure}`);
          break;
        }
      }
      for (const key of keys) {
        if (entries[key] === null || entries[key] === undefined) this.report(valueShape, null, `${path}.${key}`, 'Member must not be null');
      }
      return;
    }
    // kinesalite walks structured map values in reverse key order ("TODO: Always reverse?").
    for (const key of [...keys].reverse()) {
      if (this.full) return;
      this.checkValue(valueShape, entries[key], `${path}.${key}`, true);
    }
  }
}
