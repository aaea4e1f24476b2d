import { DATA_PLANE_FAULT_OPERATIONS, FaultInjector, type Engine } from '@riffle/engine';
import { InternalFailureException } from '../generated/kinesis/errors.js';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';
import type { OperationHandler } from '../operation-handler.js';
import { ControlPlaneLimiter } from './control-plane-limiter.js';
import { controlPlaneRates } from './control-plane-rates.js';
import { requestStreamName } from './request-stream-name.js';

export interface OperationGuardOptions {
  /** AWS's per-call rates of the control plane (LimitExceededException). */
  readonly controlPlaneLimits: boolean;
}

const engineFaults: ReadonlySet<string> = new Set(DATA_PLANE_FAULT_OPERATIONS);

/**
 * Wraps every handler with what runs before it: injected faults of the operations the engine does not answer
 * for (the plan is the engine's config, so one `--fault-injection` covers both), then the control-plane rate.
 * A refused call never reaches its handler. Without limits or faults the handlers are returned as they are.
 */
export function guardOperations(
  handlers: Partial<Record<string, OperationHandler>>,
  engine: Engine,
  options: OperationGuardOptions,
): Partial<Record<string, OperationHandler>> {
  const faults = new FaultInjector(engine.config.faultInjection);
  if (!faults.active && !options.controlPlaneLimits) return handlers;
  // Rates are per account: each hosted account has its own engine and its own limiter.
  const limiters = new Map<string, ControlPlaneLimiter>();
  const limiterOf = (accountEngine: Engine): ControlPlaneLimiter | undefined => {
    if (!options.controlPlaneLimits) return undefined;
    const account = accountEngine.config.accountId;
    let limiter = limiters.get(account);
    if (limiter === undefined) limiters.set(account, (limiter = new ControlPlaneLimiter(accountEngine.clock, controlPlaneRates)));
    return limiter;
  };

  const guarded: Partial<Record<string, OperationHandler>> = {};
  for (const [operation, handler] of Object.entries(handlers)) {
    if (handler === undefined) continue;
    const injects = faults.active && !engineFaults.has(operation);
    guarded[operation] = async (input, context) => {
      const fault = injects ? faults.draw(operation) : undefined;
      if (fault === 'internal') throw new InternalFailureException();
      const stream = requestStreamName(input, engine.clock.now());
      const limiter = limiterOf(context.engine);
      const account = context.engine.config.accountId;
      if (fault === 'throttle' || (limiter !== undefined && !limiter.admit(operation, stream))) {
        const message = stream === undefined ? messages.accountRateExceeded(account) : messages.streamRateExceeded(stream, account);
        throw kinesisError('LimitExceededException', message);
      }
      return handler(input, context);
    };
  }
  return guarded;
}
