/** An access-key file or RIFFLE_ACCESS_KEYS that cannot be used; the message says where, never a secret. */
export class AccessKeysError extends Error {
  readonly code = 'RIFFLE_ERR_ACCESS_KEYS';
}
