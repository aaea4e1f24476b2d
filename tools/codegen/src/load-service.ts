import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyJsonPatch, type JsonPatchOperation } from './apply-json-patch.js';
import type { ServiceModelDocument, ValidationOrderDocument } from './service-model.js';
import type { ServiceSpec } from './service-spec.js';

/** A model with its patches applied, plus the ordering quirks, ready to generate from. */
export interface LoadedService {
  readonly spec: ServiceSpec;
  readonly model: ServiceModelDocument;
  readonly validationOrder: ValidationOrderDocument;
  /** Repository-relative paths the output is generated from, for the header. */
  readonly sources: readonly string[];
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function loadService(repoRoot: string, spec: ServiceSpec): LoadedService {
  const sources = [spec.modelPath];
  let model = readJson(join(repoRoot, spec.modelPath));
  if (spec.patchPath !== undefined && existsSync(join(repoRoot, spec.patchPath))) {
    const patchFile = readJson(join(repoRoot, spec.patchPath)) as { patches: JsonPatchOperation[] };
    model = applyJsonPatch(model, patchFile.patches);
    sources.push(spec.patchPath);
  }
  let validationOrder: ValidationOrderDocument = {};
  if (spec.validationOrderPath !== undefined && existsSync(join(repoRoot, spec.validationOrderPath))) {
    validationOrder = readJson(join(repoRoot, spec.validationOrderPath)) as ValidationOrderDocument;
    sources.push(spec.validationOrderPath);
  }
  return { spec, model: model as ServiceModelDocument, validationOrder, sources };
}
