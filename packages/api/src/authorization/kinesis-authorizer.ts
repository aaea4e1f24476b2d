import type { Engine } from '@riffle/engine';
import type { CallerIdentity, RequestContext } from '@riffle/wire';
import type { KinesisOperationName } from '../generated/kinesis/operations.js';
import type { Authorizer } from '../runtime/model-service.js';
import { decodePageToken } from '../streams/page-token.js';
import { accessDeniedError } from './access-denied.js';
import { authorizationTarget, type AuthorizationCheck, type KinesisOperationInputs } from './authorization-target.js';
import { tryCompilePolicy, type CompiledPolicy } from './compiled-policy.js';
import { callerFacts, requestConditionContext } from './condition-context.js';
import { evaluatePolicies, type AuthorizationDecision } from './evaluate-policies.js';
import { parseKinesisArn } from './kinesis-resource-arn.js';

export interface KinesisAuthorizerOptions {
  readonly region: string;
  readonly now: () => number;
}

/** What one check needs of the resource it names: its policy and tags, from the engine of its account. */
interface ResourceFacts {
  readonly policy: CompiledPolicy | undefined;
  readonly tags: () => Record<string, string> | undefined;
}

const noResource: ResourceFacts = { policy: undefined, tags: () => undefined };

/**
 * Strict mode's authorization: every call of a verified caller is checked against the caller's identity policies
 * and the named stream's or consumer's resource policy, as IAM evaluates them. Calls of unverified callers
 * (permissive mode) are not checked.
 */
export function createKinesisAuthorizer(options: KinesisAuthorizerOptions): Authorizer {
  return ({ context, operation, input, callerEngine, targetEngine }) => {
    const caller = context.caller;
    if (caller === undefined) return;
    // An account's root user in its own account, where no resource policy could deny it anything.
    if (caller.policies === undefined && targetEngine === callerEngine && !callerEngine.hasResourcePolicies()) return;
    const target = authorizationTarget(operation as KinesisOperationName, input as KinesisOperationInputs[KinesisOperationName], {
      region: options.region,
      callerAccount: caller.accountId,
      streamArnOfShardIterator: (iterator) => {
        const name = callerEngine.streamNameOfIterator(iterator);
        return name === undefined ? undefined : callerEngine.streamArn(name);
      },
      streamNameOfNextToken: (token) => {
        try {
          const state = decodePageToken<{ stream?: unknown }>(token, options.now());
          return typeof state.stream === 'string' ? state.stream : undefined;
        } catch {
          return undefined;
        }
      },
    });
    if (!target.determined) return;
    const identity = identityPoliciesOf(caller);
    for (const check of target.checks) {
      const crossAccount = check.resourceAccount !== caller.accountId;
      if (crossAccount && !target.crossAccount) throw accessDeniedError(caller.arn, check, 'no-resource-policy-allows');
      const engine = check.resourceAccount === targetEngine.config.accountId ? targetEngine : check.resourceAccount === callerEngine.config.accountId ? callerEngine : undefined;
      const resource = engine === undefined ? noResource : resourceFacts(engine, check);
      // The account's root, in its own account, on a resource without a policy: nothing can deny it.
      if (identity === undefined && !crossAccount && resource.policy === undefined) continue;
      const decision = decide(caller, identity, check, resource, context, target, options);
      if (!decision.allowed) throw accessDeniedError(caller.arn, check, decision.reason);
    }
  };
}

function decide(
  caller: CallerIdentity,
  identity: readonly CompiledPolicy[] | undefined,
  check: AuthorizationCheck,
  resource: ResourceFacts,
  context: RequestContext,
  target: { requestTags?: Readonly<Record<string, string>>; tagKeys?: readonly string[] },
  options: KinesisAuthorizerOptions,
): AuthorizationDecision {
  const conditions = requestConditionContext({
    ...callerFacts(caller, context, options.now()),
    resourceAccount: check.resourceAccount,
    resourceTags: resource.tags(),
    requestTags: target.requestTags,
    tagKeys: target.tagKeys,
  });
  return evaluatePolicies(
    { caller: { arn: caller.arn, account: caller.accountId }, action: check.action, resource: check.resource, resourceAccount: check.resourceAccount, context: conditions },
    resource.policy === undefined ? { identity } : { identity, resource: resource.policy },
  );
}

const compiledIdentities = new WeakMap<readonly unknown[], readonly CompiledPolicy[]>();

/** The key's policies compiled once per key-file version (the store hands out the same array until a reload). */
function identityPoliciesOf(caller: CallerIdentity): readonly CompiledPolicy[] | undefined {
  const policies = caller.policies;
  if (policies === undefined) return undefined;
  let compiled = compiledIdentities.get(policies);
  if (compiled === undefined) {
    // The key file is validated when it is read; a document that still fails to compile grants nothing.
    compiled = policies.flatMap((policy) => tryCompilePolicy(policy, 'identity') ?? []);
    compiledIdentities.set(policies, compiled);
  }
  return compiled;
}

function resourceFacts(engine: Engine, check: AuthorizationCheck): ResourceFacts {
  if (check.resourceType !== 'stream' && check.resourceType !== 'consumer') return noResource;
  const arn = parseKinesisArn(check.resource);
  if (arn === undefined || arn.type === 'channel') return noResource;
  if (arn.account !== engine.config.accountId || arn.region !== engine.config.region) return noResource;
  try {
    if (arn.type === 'stream') {
      const text = engine.getResourcePolicy(arn.stream);
      return { policy: text === undefined ? undefined : tryCompilePolicy(text, 'resource'), tags: () => tagsOf(() => engine.listTags(arn.stream)) };
    }
    const address = { name: arn.consumer, ...(arn.createdAtSeconds === undefined ? {} : { createdAtSeconds: arn.createdAtSeconds }) };
    const text = engine.getResourcePolicy(arn.stream, address);
    return {
      policy: text === undefined ? undefined : tryCompilePolicy(text, 'resource'),
      tags: () => tagsOf(() => engine.listConsumerTags(arn.stream, arn.consumer, arn.createdAtSeconds)),
    };
  } catch {
    // No such stream or consumer: the identity policies decide, and the handler answers ResourceNotFound.
    return noResource;
  }
}

function tagsOf(list: () => readonly { key: string; value: string }[]): Record<string, string> | undefined {
  try {
    return Object.fromEntries(list().map((tag) => [tag.key, tag.value]));
  } catch {
    return undefined;
  }
}
