import { generateErrors } from './generate-errors.js';
import { generateOperations } from './generate-operations.js';
import { generateShapes } from './generate-shapes.js';
import { generateTypes } from './generate-types.js';
import type { LoadedService } from './load-service.js';

/** All generated files of one service: file name (inside `generated/<service>/`) -> content. */
export function generateService(service: LoadedService): Map<string, string> {
  return new Map([
    ['errors.ts', generateErrors(service)],
    ['operations.ts', generateOperations(service)],
    ['shapes.ts', generateShapes(service)],
    ['types.ts', generateTypes(service)],
  ]);
}
