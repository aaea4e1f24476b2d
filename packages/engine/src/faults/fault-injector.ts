import type { FaultKind, FaultPlan, FaultShares } from './fault-plan.js';
import { seededUniform } from './seeded-uniform.js';

/**
 * Decides which calls get an injected fault. Each operation draws from its own sequence seeded by the plan's seed
 * and the operation's name, so that with the same seed the n-th call of an operation gets the same answer whatever
 * else ran in between.
 */
export class FaultInjector {
  readonly #plan: FaultPlan | undefined;
  readonly #draws = new Map<string, () => number>();

  constructor(plan: FaultPlan | undefined) {
    this.#plan = plan !== undefined && Object.keys(plan.rules).length > 0 ? plan : undefined;
  }

  get active(): boolean {
    return this.#plan !== undefined;
  }

  /** The fault for one call of `operation` (for PutRecords, one entry), or undefined for none. */
  draw(operation: string): FaultKind | undefined {
    const shares = this.#sharesOf(operation);
    if (shares === undefined || shares.throttle + shares.internal <= 0) return undefined;
    let draw = this.#draws.get(operation);
    if (!draw) this.#draws.set(operation, (draw = seededUniform(this.#plan!.seed ^ nameHash(operation))));
    const u = draw();
    if (u < shares.throttle) return 'throttle';
    if (u < shares.throttle + shares.internal) return 'internal';
    return undefined;
  }

  #sharesOf(operation: string): FaultShares | undefined {
    const rules = this.#plan?.rules;
    if (rules === undefined) return undefined;
    return Object.hasOwn(rules, operation) ? rules[operation] : rules['*'];
  }
}

/** FNV-1a, 32 bits. */
function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
