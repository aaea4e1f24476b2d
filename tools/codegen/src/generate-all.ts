import { join } from 'node:path';
import { generateService } from './generate-service.js';
import { loadService } from './load-service.js';
import { serviceSpecs } from './service-spec.js';

/** Every generated file, keyed by its path relative to the output folder (`kinesis/types.ts`, ...). */
export function generateAll(repoRoot: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const spec of serviceSpecs) {
    for (const [name, content] of generateService(loadService(repoRoot, spec))) {
      files.set(join(spec.name, name), content);
    }
  }
  return files;
}
