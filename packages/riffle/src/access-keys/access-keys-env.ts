import type { AccessKey } from '@riffle/wire';
import { AccessKeysError } from './access-keys-error.js';
import { ACCESS_KEY_ID, ACCOUNT_ID } from './access-key-rules.js';

/** `RIFFLE_ACCESS_KEYS=AKID:SECRET:ACCOUNTID[,...]`: keys with full access, for scripts and tests. */
export function parseAccessKeysEnv(value: string): AccessKey[] {
  const seen = new Set<string>();
  const keys: AccessKey[] = [];
  value.split(',').forEach((raw, index) => {
    const entry = raw.trim();
    if (entry === '') return;
    const where = `RIFFLE_ACCESS_KEYS entry ${index + 1}`;
    // The entry itself is never quoted: it holds a secret.
    const parts = entry.split(':');
    if (parts.length !== 3) throw new AccessKeysError(`${where}: expected AKID:SECRET:ACCOUNTID`);
    const [accessKeyId, secretAccessKey, accountId] = parts as [string, string, string];
    if (!ACCESS_KEY_ID.test(accessKeyId)) throw new AccessKeysError(`${where}: the access key id must be 1 to 128 letters, digits or underscores`);
    if (secretAccessKey === '') throw new AccessKeysError(`${where} (${accessKeyId}): the secret is empty`);
    if (!ACCOUNT_ID.test(accountId)) throw new AccessKeysError(`${where} (${accessKeyId}): the account id must be 12 digits`);
    if (seen.has(accessKeyId)) throw new AccessKeysError(`${where}: access key id ${accessKeyId} appears twice`);
    seen.add(accessKeyId);
    keys.push({ accessKeyId, secretAccessKey, accountId });
  });
  return keys;
}
