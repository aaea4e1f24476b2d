import { EngineError } from './engine-error.js';

/** A resource policy must at least be a JSON object with a Statement (IAM policy grammar). */
export function checkPolicyDocument(policy: string): void {
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    throw new EngineError('InvalidResourcePolicy', { reason: 'not JSON' });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !('Statement' in document)) {
    throw new EngineError('InvalidResourcePolicy', { reason: 'no Statement' });
  }
}
