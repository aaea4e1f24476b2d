import { randomInt } from 'node:crypto';

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * The name CloudFormation gives a resource whose template names none: `<stack>-<logical id>-<random suffix>`,
 * the first two parts shortened so that the whole fits the type's maximum length.
 */
export function generatedPhysicalName(stackName: string, logicalId: string, maxLength = 128, random: (n: number) => number = randomInt): string {
  const suffix = Array.from({ length: 12 }, () => SUFFIX_ALPHABET[random(SUFFIX_ALPHABET.length)]).join('');
  const room = maxLength - suffix.length - 2;
  let [stack, logical] = [stackName, logicalId];
  while (stack.length + logical.length > room) {
    if (stack.length >= logical.length) stack = stack.slice(0, -1);
    else logical = logical.slice(0, -1);
  }
  return `${stack}-${logical}-${suffix}`;
}
