export { applyJsonPatch, type JsonPatchOperation } from './apply-json-patch.js';
export { generateAll } from './generate-all.js';
export { generateService } from './generate-service.js';
export { loadService, type LoadedService } from './load-service.js';
export { serviceSpecs, type ServiceSpec } from './service-spec.js';
