import type { FaultKind, FaultShares } from './fault-plan.js';

export class FaultSpecError extends Error {
  readonly code = 'RIFFLE_ERR_FAULT_SPEC';
}

const kinds: readonly FaultKind[] = ['throttle', 'internal'];

/**
 * `Operation:kind=share[:kind=share]` rules joined by commas, e.g. `PutRecords:throttle=0.1,GetRecords:internal=0.05`
 * or `*:internal=0.01` for every operation not named. Kinds are `throttle` and `internal`; a share is a number
 * from 0 to 1, and an operation's shares add up to at most 1. `known` lists the valid operation names.
 */
export function parseFaultSpec(spec: string, known: readonly string[]): Record<string, FaultShares> {
  const rules: Record<string, { throttle: number; internal: number }> = {};
  for (const rawRule of spec.split(',')) {
    const rule = rawRule.trim();
    if (rule === '') continue;
    const [operation, ...parts] = rule.split(':').map((part) => part.trim());
    if (!operation || parts.length === 0) throw new FaultSpecError(`'${rule}': expected Operation:kind=share`);
    if (operation !== '*' && !known.includes(operation)) throw new FaultSpecError(`'${rule}': unknown operation '${operation}'`);
    const shares = (rules[operation] ??= { throttle: 0, internal: 0 });
    for (const part of parts) {
      const match = /^([a-z]+)=([0-9]*\.?[0-9]+)$/.exec(part);
      const kind = match?.[1] as FaultKind | undefined;
      if (!match || !kind || !kinds.includes(kind)) {
        throw new FaultSpecError(`'${rule}': expected kind=share with kind throttle or internal, got '${part}'`);
      }
      const share = Number(match[2]);
      if (!(share >= 0 && share <= 1)) throw new FaultSpecError(`'${rule}': a share is between 0 and 1, got ${match[2]}`);
      shares[kind] = share;
    }
    if (shares.throttle + shares.internal > 1) throw new FaultSpecError(`'${operation}': shares add up to more than 1`);
  }
  return rules;
}
