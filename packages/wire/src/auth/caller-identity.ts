import type { AccessKey } from './access-key.js';

/** Who signed a verified request, for authorization and auditing. */
export interface CallerIdentity {
  readonly accessKeyId: string;
  readonly accountId: string;
  /** `arn:aws:iam::ACCOUNT:root` or `arn:aws:iam::ACCOUNT:user/NAME`. */
  readonly arn: string;
  /** IAM policy documents; undefined = full access as the account's root, `[]` = nothing allowed. */
  readonly policies?: readonly unknown[];
}

export function callerIdentityOf(key: AccessKey): CallerIdentity {
  const arn = key.userName === undefined ? `arn:aws:iam::${key.accountId}:root` : `arn:aws:iam::${key.accountId}:user/${key.userName}`;
  return key.policies === undefined
    ? { accessKeyId: key.accessKeyId, accountId: key.accountId, arn }
    : { accessKeyId: key.accessKeyId, accountId: key.accountId, arn, policies: key.policies };
}
