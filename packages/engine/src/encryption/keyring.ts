import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataKeyRecord } from '@riffle/storage';
import { EncryptionError } from './encryption-error.js';
import {
  ALIAS_NAME_PATTERN,
  AWS_MANAGED_KEY_ALIAS,
  KEY_ID_PATTERN,
  kmsArn,
  parseKmsKeyReference,
  type KmsKeyHome,
} from './kms-key-reference.js';

/** A customer managed key the keyring knows: what StartStreamEncryption may name besides alias/aws/kinesis. */
export interface CustomerKey {
  /** A UUID (or `mrk-…`). */
  readonly keyId: string;
  /** `alias/NAME`s that name it. */
  readonly aliases: readonly string[];
  /** Its key ARN, when its region or account is not the server's. */
  readonly arn?: string;
}

/** The server's own region and account: where key ids and alias names without an ARN live. */
export interface KeyScope {
  readonly region: string;
  readonly accountId: string;
}

export type KeyResolution =
  | { readonly found: true; readonly kmsKeyArn: string }
  /** What KMS says it could not find: a key ARN, an alias ARN, or a KeyId of no known form. */
  | { readonly found: false; readonly kind: 'key' | 'alias'; readonly arn: string }
  | { readonly found: false; readonly kind: 'invalid' };

const MASTER_KEY_BYTES = 32;
const WRAP_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Base64 of exactly 32 bytes, or undefined. */
export function decodeMasterKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!BASE64.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed, 'base64');
  return bytes.length === MASTER_KEY_BYTES ? bytes : undefined;
}

/**
 * The master key of encryption at rest and the customer keys it stands in for. The master key only wraps data
 * keys (AES-256-GCM); records are encrypted with those. A keyring file is JSON:
 * `{"format": "riffle-keyring", "version": 1, "masterKey": "<base64 of 32 bytes>", "keys": [{"keyId": "<uuid>",
 * "aliases": ["alias/NAME"], "arn": "arn:aws:kms:REGION:ACCOUNT:key/<uuid>"}]}` (keys, aliases and arn optional).
 */
export class Keyring {
  readonly #masterKey: Buffer;
  readonly customerKeys: readonly CustomerKey[];

  constructor(masterKey: Uint8Array, customerKeys: readonly CustomerKey[] = []) {
    if (masterKey.byteLength !== MASTER_KEY_BYTES) {
      throw new EncryptionError('RIFFLE_ERR_KEYRING', `the master key must be ${MASTER_KEY_BYTES} bytes, not ${masterKey.byteLength}`);
    }
    this.#masterKey = Buffer.from(masterKey);
    this.customerKeys = customerKeys;
  }

  /** A keyring with a new random master key and no customer keys. */
  static generate(): Keyring {
    return new Keyring(randomBytes(MASTER_KEY_BYTES));
  }

  /** A keyring file's text; errors say what is wrong, never what the key is. */
  static parse(text: string): Keyring {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw keyringError('is not JSON');
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw keyringError('must be a JSON object');
    const { masterKey, keys = [] } = json as { masterKey?: unknown; keys?: unknown };
    const master = typeof masterKey === 'string' ? decodeMasterKey(masterKey) : undefined;
    if (!master) throw keyringError('needs "masterKey": the base64 of 32 random bytes');
    if (!Array.isArray(keys)) throw keyringError('"keys" must be a list');
    const customerKeys = keys.map((entry: unknown, i) => customerKeyOf(entry, `keys[${i}]`));
    const names = new Set<string>();
    const claim = (name: string, shown: string) => {
      if (names.has(name)) throw keyringError(`names ${shown} twice`);
      names.add(name);
    };
    for (const key of customerKeys) {
      claim(key.arn ?? key.keyId, key.keyId);
      for (const alias of key.aliases) claim(`${homeText(key)} ${alias}`, alias);
    }
    return new Keyring(master, customerKeys);
  }

  /** The keyring file's text, master key included: for a file only its owner can read. */
  toFileText(): string {
    const keys = this.customerKeys.map((key) => ({ keyId: key.keyId, aliases: key.aliases, ...(key.arn === undefined ? {} : { arn: key.arn }) }));
    return `${JSON.stringify({ format: 'riffle-keyring', version: 1, masterKey: this.#masterKey.toString('base64'), keys }, undefined, 2)}\n`;
  }

  /** The canonical ARN of the KMS key a KeyId names in `scope`, or what KMS would say it could not find. */
  resolve(keyId: string, scope: KeyScope): KeyResolution {
    const reference = parseKmsKeyReference(keyId);
    if (reference.kind === 'invalid') return { found: false, kind: 'invalid' };
    const own: KmsKeyHome = { partition: 'aws', region: scope.region, accountId: scope.accountId };
    const home = reference.home ?? own;
    if (reference.kind === 'alias') {
      const aliasArn = kmsArn(home, reference.name);
      // Every account has its AWS managed key in every region; it is the only alias/aws/... one.
      if (reference.name === AWS_MANAGED_KEY_ALIAS && sameHome(home, own)) return { found: true, kmsKeyArn: aliasArn };
      const key = this.customerKeys.find((candidate) => sameHome(homeOf(candidate, own), home) && candidate.aliases.includes(reference.name));
      return key ? { found: true, kmsKeyArn: keyArnOf(key, own) } : { found: false, kind: 'alias', arn: aliasArn };
    }
    const arn = kmsArn(home, `key/${reference.id.toLowerCase()}`);
    const key = this.customerKeys.find((candidate) => keyArnOf(candidate, own) === arn);
    return key ? { found: true, kmsKeyArn: arn } : { found: false, kind: 'key', arn };
  }

  /** Wraps a data key: version, nonce, ciphertext and tag, base64; its id and KMS key are authenticated with it. */
  wrapDataKey(id: number, kmsKeyArn: string, dataKey: Uint8Array): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#masterKey, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(wrapContext(id, kmsKeyArn));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([Buffer.of(WRAP_VERSION), nonce, body, cipher.getAuthTag()]).toString('base64');
  }

  /** The data key a DataKeyRecord holds; fails clearly when the master key is not the one that wrapped it. */
  unwrapDataKey(record: DataKeyRecord): Buffer {
    const bytes = Buffer.from(record.wrapped, 'base64');
    if (bytes.length <= 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== WRAP_VERSION) {
      throw new EncryptionError('RIFFLE_ERR_MASTER_KEY', `data key ${record.id} in the metadata store is damaged`);
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#masterKey, bytes.subarray(1, 1 + NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(wrapContext(record.id, record.kmsKeyArn));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const key = decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES));
    try {
      decipher.final();
    } catch {
      throw new EncryptionError(
        'RIFFLE_ERR_MASTER_KEY',
        `the master key does not open data key ${record.id} (of ${record.kmsKeyArn}) in the metadata store: the data was ` +
          'encrypted under another master key. Start Riffle with the RIFFLE_MASTER_KEY or keyring file it was written with',
      );
    }
    return key;
  }
}

function wrapContext(id: number, kmsKeyArn: string): Buffer {
  return Buffer.from(`riffle data key ${id} ${kmsKeyArn}`, 'utf8');
}

function keyringError(problem: string): EncryptionError {
  return new EncryptionError('RIFFLE_ERR_KEYRING', `the keyring ${problem}`);
}

function customerKeyOf(entry: unknown, where: string): CustomerKey {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw keyringError(`${where} must be an object`);
  const { keyId, aliases = [], arn } = entry as { keyId?: unknown; aliases?: unknown; arn?: unknown };
  if (typeof keyId !== 'string' || !KEY_ID_PATTERN.test(keyId)) throw keyringError(`${where}.keyId must be a key id (a UUID)`);
  if (!Array.isArray(aliases) || !aliases.every((alias): alias is string => typeof alias === 'string' && ALIAS_NAME_PATTERN.test(alias))) {
    throw keyringError(`${where}.aliases must be a list of alias/NAME`);
  }
  // KMS reserves alias/aws/ for AWS managed keys (CreateAlias).
  if (aliases.some((alias) => alias.startsWith('alias/aws/'))) throw keyringError(`${where}.aliases: alias/aws/ names are AWS's`);
  if (arn !== undefined) {
    const reference = typeof arn === 'string' ? parseKmsKeyReference(arn) : undefined;
    if (reference?.kind !== 'key' || reference.home === undefined || reference.id.toLowerCase() !== keyId.toLowerCase()) {
      throw keyringError(`${where}.arn must be the key ARN of ${keyId}`);
    }
  }
  return { keyId: keyId.toLowerCase(), aliases, ...(arn === undefined ? {} : { arn: (arn as string).replace(/key\/.*$/, `key/${keyId.toLowerCase()}`) }) };
}

function homeOf(key: CustomerKey, own: KmsKeyHome): KmsKeyHome {
  if (key.arn === undefined) return own;
  const reference = parseKmsKeyReference(key.arn);
  return reference.kind === 'key' && reference.home ? reference.home : own;
}

function homeText(key: CustomerKey): string {
  return key.arn === undefined ? '' : key.arn.replace(/:key\/.*$/, '');
}

function keyArnOf(key: CustomerKey, own: KmsKeyHome): string {
  return key.arn ?? kmsArn(own, `key/${key.keyId}`);
}

function sameHome(a: KmsKeyHome, b: KmsKeyHome): boolean {
  return a.partition === b.partition && a.region === b.region && a.accountId === b.accountId;
}
