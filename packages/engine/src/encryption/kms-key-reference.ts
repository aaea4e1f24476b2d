/**
 * What a KeyId names: a key by id or key ARN, or an alias by name or alias ARN (API reference,
 * StartStreamEncryption: "a globally unique identifier, a fully specified ARN to either an alias or a key, or an
 * alias name prefixed by alias/"). Region and account are those of the ARN; absent for ids and alias names.
 */
export type KmsKeyReference =
  | { readonly kind: 'key'; readonly id: string; readonly home?: KmsKeyHome }
  | { readonly kind: 'alias'; readonly name: string; readonly home?: KmsKeyHome }
  | { readonly kind: 'invalid' };

export interface KmsKeyHome {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** The alias of the AWS managed key for Kinesis, which every account has. */
export const AWS_MANAGED_KEY_ALIAS = 'alias/aws/kinesis';

/** A key id: a UUID, or `mrk-` and 32 hex digits for a multi-Region key (KMS developer guide, key identifiers). */
export const KEY_ID_PATTERN = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/i;
/** KMS CreateAlias: `alias/` then letters, digits, `/`, `_` and `-`. */
export const ALIAS_NAME_PATTERN = /^alias\/[a-zA-Z0-9/_-]+$/;
const KMS_ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(.+)$/;

export function parseKmsKeyReference(keyId: string): KmsKeyReference {
  const arn = KMS_ARN.exec(keyId);
  if (arn) {
    const home = { partition: arn[1]!, region: arn[2]!, accountId: arn[3]! };
    const resource = arn[4]!;
    if (resource.startsWith('key/') && KEY_ID_PATTERN.test(resource.slice(4))) return { kind: 'key', id: resource.slice(4), home };
    if (ALIAS_NAME_PATTERN.test(resource)) return { kind: 'alias', name: resource, home };
    return { kind: 'invalid' };
  }
  if (KEY_ID_PATTERN.test(keyId)) return { kind: 'key', id: keyId };
  if (ALIAS_NAME_PATTERN.test(keyId)) return { kind: 'alias', name: keyId };
  return { kind: 'invalid' };
}

export function kmsArn(home: KmsKeyHome, resource: string): string {
  return `arn:${home.partition}:kms:${home.region}:${home.accountId}:${resource}`;
}
