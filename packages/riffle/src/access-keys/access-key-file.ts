import { policyDocumentProblem } from '@riffle/api';
import type { AccessKey } from '@riffle/wire';
import { AccessKeysError } from './access-keys-error.js';
import { ACCESS_KEY_ID, ACCOUNT_ID, USER_NAME } from './access-key-rules.js';

const MEMBERS = new Set(['accessKeyId', 'secretAccessKey', 'accountId', 'userName', 'sessionToken', 'expiration', 'policies']);

/**
 * The `--access-keys` file (format in the README, "Strict authentication"):
 * `{"accessKeys": [{"accessKeyId", "secretAccessKey", "accountId", "userName"?, "sessionToken"?, "expiration"?,
 * "policies"?}]}`. Errors name the file and the entry, never a secret's value.
 */
export function parseAccessKeyFile(text: string, path: string, reserved: ReadonlySet<string> = new Set()): AccessKey[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the fault, which may be a secret: only the position is kept.
    const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
    throw new AccessKeysError(`${path}: not valid JSON${position === undefined ? '' : ` (at position ${position})`}`);
  }
  if (!isObject(document) || !Array.isArray(document.accessKeys)) {
    throw new AccessKeysError(`${path}: expected an object with an "accessKeys" array`);
  }
  for (const member of Object.keys(document)) {
    if (member !== 'accessKeys') throw new AccessKeysError(`${path}: unknown member "${member}"`);
  }
  const seen = new Map<string, number>();
  return document.accessKeys.map((entry: unknown, index: number) => {
    const where = `${path}: accessKeys[${index}]`;
    const key = accessKeyOf(entry, where);
    const earlier = seen.get(key.accessKeyId);
    if (earlier !== undefined) throw new AccessKeysError(`${where}: accessKeyId ${key.accessKeyId} is also accessKeys[${earlier}]`);
    if (reserved.has(key.accessKeyId)) throw new AccessKeysError(`${where}: accessKeyId ${key.accessKeyId} is also in RIFFLE_ACCESS_KEYS`);
    seen.set(key.accessKeyId, index);
    return key;
  });
}

function accessKeyOf(entry: unknown, where: string): AccessKey {
  if (!isObject(entry)) throw new AccessKeysError(`${where}: expected an object`);
  for (const member of Object.keys(entry)) {
    if (!MEMBERS.has(member)) throw new AccessKeysError(`${where}: unknown member "${member}"`);
  }
  const { accessKeyId, secretAccessKey, accountId, userName, sessionToken, expiration, policies } = entry;
  if (typeof accessKeyId !== 'string' || !ACCESS_KEY_ID.test(accessKeyId)) {
    throw new AccessKeysError(`${where}: accessKeyId must be 1 to 128 letters, digits or underscores`);
  }
  const named = `${where} (${accessKeyId})`;
  if (typeof secretAccessKey !== 'string' || secretAccessKey === '') throw new AccessKeysError(`${named}: secretAccessKey must be a non-empty string`);
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) throw new AccessKeysError(`${named}: accountId must be a string of 12 digits`);
  if (userName !== undefined && (typeof userName !== 'string' || !USER_NAME.test(userName))) {
    throw new AccessKeysError(`${named}: userName must be 1 to 64 letters, digits or +=,.@_-`);
  }
  if (sessionToken !== undefined && (typeof sessionToken !== 'string' || sessionToken === '')) {
    throw new AccessKeysError(`${named}: sessionToken must be a non-empty string`);
  }
  let expires: Date | undefined;
  if (expiration !== undefined) {
    if (sessionToken === undefined) throw new AccessKeysError(`${named}: expiration needs a sessionToken`);
    expires = typeof expiration === 'string' ? new Date(expiration) : undefined;
    if (expires === undefined || !Number.isFinite(expires.getTime())) {
      throw new AccessKeysError(`${named}: expiration must be an ISO 8601 date, e.g. 2026-01-31T12:00:00Z`);
    }
  }
  if (policies !== undefined) {
    if (!Array.isArray(policies)) throw new AccessKeysError(`${named}: policies must be an array of policy documents`);
    policies.forEach((policy, index) => {
      if (!isObject(policy)) throw new AccessKeysError(`${named}: policies[${index}] must be a policy document (an object)`);
      const problem = policyDocumentProblem(policy, 'identity');
      if (problem !== undefined) throw new AccessKeysError(`${named}: policies[${index}]: ${problem}`);
    });
  }
  return {
    accessKeyId,
    secretAccessKey,
    accountId,
    ...(userName !== undefined ? { userName: userName as string } : {}),
    ...(sessionToken !== undefined ? { sessionToken: sessionToken as string } : {}),
    ...(expires !== undefined ? { expiration: expires } : {}),
    ...(policies !== undefined ? { policies: policies as unknown[] } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
