import { ConditionContext } from './condition-context.js';
import type { CompiledPolicy, CompiledStatement } from './compiled-policy.js';
import type { Caller, PrincipalMatch } from './principal-match.js';

/**
 * IAM's policy evaluation logic for one action on one resource (IAM User Guide, "Policy evaluation logic" and
 * "Cross-account policy evaluation logic"), without SCPs, permission boundaries or session policies:
 * 1. an explicit Deny in any applicable policy denies;
 * 2. in the resource's own account, an Allow in the caller's identity-based policies or a resource-based Allow
 *    naming the caller allows;
 * 3. from another account, both must allow: the caller's identity-based policies, and the resource policy
 *    (naming the caller or its account);
 * 4. otherwise the request is implicitly denied.
 */

export type AccessDeniedReason =
  | 'explicit-deny-in-identity-policy'
  | 'explicit-deny-in-resource-policy'
  | 'no-identity-policy-allows'
  | 'no-resource-policy-allows';

export type AuthorizationDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: AccessDeniedReason };

export interface AuthorizationRequest {
  readonly caller: Caller;
  /** `kinesis:PutRecord` */
  readonly action: string;
  /** The resource's ARN, or `*` for actions without one (ListStreams). */
  readonly resource: string;
  /** The account owning the resource; for `*`, the caller's. */
  readonly resourceAccount: string;
  readonly context?: ConditionContext;
}

export interface ApplicablePolicies {
  /** The caller's identity-based policies; undefined means full access, as an account's root user has. */
  readonly identity: readonly CompiledPolicy[] | undefined;
  /** The stream's or consumer's resource policy, if it has one. */
  readonly resource?: CompiledPolicy;
}

const allowed: AuthorizationDecision = Object.freeze({ allowed: true });
const denied = (reason: AccessDeniedReason): AuthorizationDecision => ({ allowed: false, reason });

export function evaluatePolicies(request: AuthorizationRequest, policies: ApplicablePolicies): AuthorizationDecision {
  const context = request.context ?? ConditionContext.empty;

  let identityAllows = policies.identity === undefined;
  for (const policy of policies.identity ?? []) {
    for (const statement of policy.statements) {
      if (!applies(statement, request, context)) continue;
      if (statement.effect === 'Deny') return denied('explicit-deny-in-identity-policy');
      identityAllows = true;
    }
  }

  let resourceGrant: PrincipalMatch = 'none';
  for (const statement of policies.resource?.statements ?? []) {
    const match = statement.principal?.(request.caller) ?? 'none';
    if (match === 'none' || !applies(statement, request, context)) continue;
    if (statement.effect === 'Deny') return denied('explicit-deny-in-resource-policy');
    if (resourceGrant !== 'direct') resourceGrant = match;
  }

  if (request.caller.account === request.resourceAccount) {
    return identityAllows || resourceGrant === 'direct' ? allowed : denied('no-identity-policy-allows');
  }
  if (!identityAllows) return denied('no-identity-policy-allows');
  return resourceGrant === 'none' ? denied('no-resource-policy-allows') : allowed;
}

function applies(statement: CompiledStatement, request: AuthorizationRequest, context: ConditionContext): boolean {
  return (
    statement.coversAction(request.action) &&
    statement.coversResource(request.resource, context) &&
    statement.condition(context)
  );
}
