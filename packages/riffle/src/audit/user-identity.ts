/** Who signed, as the strict-mode verifier reports it (RequestContext.caller). */
export interface AuditCaller {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly arn: string;
}

/** CloudTrail's `userIdentity` element, with the members Riffle can fill. */
export interface UserIdentity {
  readonly type: 'Root' | 'IAMUser' | 'AssumedRole' | 'Unknown';
  readonly principalId?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly userName?: string;
}

/** Refusals of the signature itself: nobody was identified, so CloudTrail's `Unknown` type. */
const AUTHENTICATION_ERRORS = new Set([
  'IncompleteSignatureException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
]);

/**
 * A verified caller is typed by its ARN (`:root`, `:user/NAME`, `:assumed-role/ROLE/SESSION`). Riffle has no IAM
 * unique ids (AIDA..., AROA...), so principalId is the account for Root and the access key otherwise. Without a
 * verified caller (permissive mode, where any key has the account's full access) the caller is the configured
 * account's root.
 */
export function userIdentityOf(
  accessKeyId: string,
  caller: AuditCaller | undefined,
  accountId: string,
  errorType: string | undefined,
): UserIdentity {
  const key = accessKeyId === '' ? {} : { accessKeyId };
  if (caller) return identityOfArn(caller);
  if (errorType !== undefined && AUTHENTICATION_ERRORS.has(errorType)) return { type: 'Unknown', ...key };
  return { type: 'Root', principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accountId, ...key };
}

function identityOfArn(caller: AuditCaller): UserIdentity {
  const { accessKeyId, accountId, arn } = caller;
  const resource = arn.split(':').slice(5).join(':');
  if (resource === 'root') return { type: 'Root', principalId: accountId, arn, accountId, accessKeyId };
  if (resource.startsWith('user/')) {
    return { type: 'IAMUser', principalId: accessKeyId, arn, accountId, accessKeyId, userName: resource.slice(resource.lastIndexOf('/') + 1) };
  }
  if (resource.startsWith('assumed-role/')) {
    const session = resource.split('/')[2] ?? '';
    return { type: 'AssumedRole', principalId: `${accessKeyId}:${session}`, arn, accountId, accessKeyId };
  }
  return { type: 'IAMUser', principalId: accessKeyId, arn, accountId, accessKeyId };
}
