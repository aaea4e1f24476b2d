/** An evaluated template value: JSON, plus AWS::NoValue, which removes the property or list item holding it. */
export type TemplateValue = string | number | boolean | null | TemplateValue[] | { [key: string]: TemplateValue };

export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type Evaluated = TemplateValue | typeof NO_VALUE;

/** How CloudFormation compares and joins scalars: as their string forms. */
export const scalarText = (value: TemplateValue): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
