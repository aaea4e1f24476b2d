import { generatedHeader } from './generated-header.js';
import type { LoadedService } from './load-service.js';
import { quoteString } from './render-literal.js';

/**
 * `errors.ts`: one ServiceError subclass per model exception, with AWS's wire `__type` (the awsQueryError code for
 * query-compatible services, which also get the shape's absolute id) and status.
 */
export function generateErrors(service: LoadedService): string {
  const { model, spec } = service;
  const names = Object.keys(model.shapes)
    .filter((name) => model.shapes[name]!.exception === true)
    .sort();
  const classes = names.map((name) => {
    const shape = model.shapes[name]!;
    const wireType = shape.error?.code ?? name;
    const statusCode = shape.error?.httpStatusCode ?? (shape.fault === true ? 500 : 400);
    const settings: string[] = [];
    if (statusCode !== 400) settings.push(`statusCode: ${statusCode}`);
    if (spec.smithyNamespace !== undefined) settings.push(`shapeId: ${quoteString(`${spec.smithyNamespace}#${name}`)}`);
    const options = settings.length === 0 ? '' : `, { ${settings.join(', ')} }`;
    return [
      `export class ${name} extends ServiceError {`,
      '  constructor(message?: string) {',
      `    super(${quoteString(wireType)}, message${options});`,
      '  }',
      '}',
      '',
    ].join('\n');
  });
  return [
    generatedHeader(service),
    "import { ServiceError } from '@riffle/wire';",
    '',
    ...classes,
    `/** Every modeled exception by shape name (the wire \`__type\` can differ, e.g. InternalFailure). */`,
    `export const ${spec.name}Exceptions = {\n${names.map((name) => `  ${name},`).join('\n')}\n} as const;`,
    '',
  ].join('\n');
}
