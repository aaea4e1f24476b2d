import type { PolicyPrincipal } from './policy-document.js';

/** Who signed the request: an IAM user, an account's root, or a role session, with its account. */
export interface Caller {
  /** arn:aws:iam::A:user/alice, arn:aws:iam::A:root, arn:aws:sts::A:assumed-role/Role/session */
  readonly arn: string;
  readonly account: string;
}

/**
 * How a resource-based statement's Principal covers the caller:
 * - `direct`: names the caller itself (its ARN, its role, or everyone), which grants on its own in the
 *   resource's account;
 * - `account`: names the caller's account (`123456789012`, `arn:aws:iam::123456789012:root`), which delegates
 *   to that account's identity-based policies (IAM User Guide, "AWS account principals");
 * - `none`: the statement is not about the caller.
 */
export type PrincipalMatch = 'direct' | 'account' | 'none';

export type CompiledPrincipal = (caller: Caller) => PrincipalMatch;

const assumedRole = /^arn:([^:]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;
const roleArn = /^arn:([^:]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const rootArn = /^arn:[^:]*:iam::(\d{12}):root$/;

/** Principal ARNs are compared whole: IAM allows no wildcard in them but `*` alone. */
export function compilePrincipal(principal: PolicyPrincipal): CompiledPrincipal {
  if (principal.everyone) return () => 'direct';
  const arns = new Set<string>();
  const accounts = new Set<string>();
  /** role name -> partition:account of the role ARNs named, for matching the sessions of those roles. */
  const roles = new Map<string, Set<string>>();
  for (const id of principal.aws) {
    if (/^\d{12}$/.test(id)) {
      accounts.add(id);
      continue;
    }
    const root = rootArn.exec(id);
    if (root) {
      accounts.add(root[1]!);
      continue;
    }
    arns.add(id);
    const role = roleArn.exec(id);
    if (role) {
      const owners = roles.get(role[3]!) ?? new Set<string>();
      owners.add(`${role[1]}:${role[2]}`);
      roles.set(role[3]!, owners);
    }
  }
  return (caller) => {
    if (arns.has(caller.arn)) return 'direct';
    const session = assumedRole.exec(caller.arn);
    if (session && roles.get(session[3]!)?.has(`${session[1]}:${session[2]}`)) return 'direct';
    if (accounts.has(caller.account)) return 'account';
    return 'none';
  };
}

/**
 * NotPrincipal: the statement applies unless every identity the request is made as is excluded; a user is also
 * its account, a role session also its role and account, which is why IAM tells a Deny with NotPrincipal to
 * list the account too (IAM User Guide, "NotPrincipal").
 */
export function compileNotPrincipal(principal: PolicyPrincipal): CompiledPrincipal {
  if (principal.everyone) return () => 'none';
  const listed = compilePrincipal(principal);
  return (caller) => {
    const identities: Caller[] = [caller];
    const session = assumedRole.exec(caller.arn);
    if (session) identities.push({ arn: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`, account: caller.account });
    const ownArnExcluded = identities.some((identity) => listed(identity) === 'direct');
    const accountExcluded = listed({ arn: '', account: caller.account }) === 'account';
    const isRoot = rootArn.test(caller.arn);
    return (isRoot ? accountExcluded : ownArnExcluded && accountExcluded) ? 'none' : 'direct';
  };
}
