import { generatedHeader } from './generated-header.js';
import type { LoadedService } from './load-service.js';
import { pascalCase } from './pascal-case.js';
import { quoteString, renderLiteral } from './render-literal.js';

/** `operations.ts`: the service metadata and every operation's input, output and modeled errors. */
export function generateOperations(service: LoadedService): string {
  const { model, spec } = service;
  const prefix = spec.name;
  const typeName = `${pascalCase(prefix)}OperationName`;
  const names = Object.keys(model.operations).sort();
  const metadata = {
    apiVersion: model.metadata.apiVersion,
    serviceId: model.metadata.serviceId,
    targetPrefix: model.metadata.targetPrefix,
    jsonVersion: model.metadata.jsonVersion,
    // botocore omits signingName when it equals endpointPrefix.
    signingName: model.metadata.signingName ?? model.metadata.endpointPrefix,
    xmlNamespace: model.metadata.xmlNamespace,
  };
  const operations: Record<string, unknown> = {};
  for (const name of names) {
    const operation = model.operations[name]!;
    operations[name] = {
      input: operation.input?.shape,
      output: operation.output?.shape,
      errors: (operation.errors ?? []).map((error) => error.shape),
      resultWrapper: operation.output?.resultWrapper,
    };
  }
  const union = names.map(quoteString);
  return [
    generatedHeader(service),
    "import type { OperationDescriptor, ServiceMetadata } from '../../runtime/operation-descriptor.js';",
    '',
    `export const ${prefix}Metadata: ServiceMetadata = ${renderLiteral(metadata)};`,
    '',
    `export type ${typeName} =\n${union.map((value) => `  | ${value}`).join('\n')};`,
    '',
    `export const ${prefix}Operations: Readonly<Record<${typeName}, OperationDescriptor>> = ${renderLiteral(operations)};`,
    '',
  ].join('\n');
}
