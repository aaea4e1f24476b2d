import type { CallerIdentity } from '@riffle/wire';
import type { CloudWatchAuthorizer } from '../cloudwatch/cloudwatch-service.js';
import { cloudWatchAccessDenied } from '../cloudwatch/cloudwatch-framework-errors.js';
import * as messages from '../errors/messages.js';
import { tryCompilePolicy, type CompiledPolicy } from './compiled-policy.js';
import { callerFacts, requestConditionContext } from './condition-context.js';
import { evaluatePolicies } from './evaluate-policies.js';

export interface CloudWatchAuthorizerOptions {
  readonly now: () => number;
}

/**
 * Strict mode's authorization of CloudWatch's reads: `cloudwatch:<Operation>` on resource `*` (CloudWatch's
 * metric reads take no resource ARN; Service Authorization Reference), decided by the caller's identity policies
 * alone, as IAM does when there is no resource policy. Unverified callers (permissive mode) are not checked.
 */
export function createCloudWatchAuthorizer(options: CloudWatchAuthorizerOptions): CloudWatchAuthorizer {
  return ({ context, operation }) => {
    const caller = context.caller;
    if (caller === undefined || caller.policies === undefined) return;
    const action = `cloudwatch:${operation}`;
    const decision = evaluatePolicies(
      {
        caller: { arn: caller.arn, account: caller.accountId },
        action,
        resource: '*',
        resourceAccount: caller.accountId,
        context: requestConditionContext({ ...callerFacts(caller, context, options.now()), resourceAccount: caller.accountId }),
      },
      { identity: identityPoliciesOf(caller) },
    );
    if (decision.allowed) return;
    const text = decision.reason === 'explicit-deny-in-identity-policy' ? messages.cloudWatchAccessDeniedExplicitDeny : messages.cloudWatchAccessDenied;
    throw cloudWatchAccessDenied(text(caller.arn, action));
  };
}

const compiled = new WeakMap<readonly unknown[], readonly CompiledPolicy[]>();

function identityPoliciesOf(caller: CallerIdentity): readonly CompiledPolicy[] {
  const policies = caller.policies!;
  let found = compiled.get(policies);
  if (found === undefined) {
    found = policies.flatMap((policy) => tryCompilePolicy(policy, 'identity') ?? []);
    compiled.set(policies, found);
  }
  return found;
}
