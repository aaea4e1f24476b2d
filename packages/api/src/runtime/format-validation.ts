import type { ShapeDescriptor, ShapeTable, ValidationRules } from './shape.js';

/** AWS lists at most this many constraint failures in one ValidationException. */
export const maxValidationErrors = 10;

/** "1 validation error detected: …" / "N validation errors detected: a; b" (kinesalite validations/index.js). */
export function formatValidationMessage(errors: readonly string[]): string {
  const noun = errors.length === 1 ? 'error' : 'errors';
  return `${errors.length} validation ${noun} detected: ${errors.join('; ')}`;
}

/** One failure: `Value '<v>' at '<path>' failed to satisfy constraint: <constraint>` (null is unquoted). */
export function formatValidationError(renderedValue: string | null, path: string, constraint: string): string {
  const value = renderedValue === null ? 'null' : `'${renderedValue}'`;
  return `Value ${value} at '${path}' failed to satisfy constraint: ${constraint}`;
}

/** `Records` -> `records`, `StreamARN` -> `streamARN`: AWS's paths lower only the first letter. */
export function validationPathSegment(memberName: string): string {
  return memberName.charAt(0).toLowerCase() + memberName.slice(1);
}

/**
 * Renders a value the way AWS's Java service prints it in validation messages: strings raw, numbers as
 * Java prints them, blobs as a `HeapByteBuffer`, lists as `[a, b]`, maps as `{k=v}`, structures as
 * `<javaPackage>.<Shape>@<hash>`. null means the value is absent.
 */
export function renderValidationValue(
  shapes: ShapeTable,
  rules: ValidationRules,
  shapeName: string,
  value: unknown,
): string | null {
  if (value === null || value === undefined) return null;
  const shape: ShapeDescriptor | undefined = shapes[shapeName];
  switch (shape?.type) {
    case 'blob': {
      const length = (value as Uint8Array).byteLength;
      return `java.nio.HeapByteBuffer[pos=0 lim=${length} cap=${length}]`;
    }
    case 'list':
      return `[${(value as unknown[]).map((item) => renderValidationValue(shapes, rules, shape.member, item) ?? 'null').join(', ')}]`;
    case 'map':
      return `{${Object.keys(value as object)
        .map((key) => `${key}=${renderValidationValue(shapes, rules, shape.value, (value as Record<string, unknown>)[key]) ?? 'null'}`)
        .join(', ')}}`;
    case 'structure':
      // Java's Object.toString(); the identity hash is not reproducible, so use the one kinesalite recorded.
      return `${rules.javaPackage}.${shapeName}@c965e310`;
    case 'timestamp':
      return (value as Date).toISOString();
    default:
      return String(value);
  }
}
