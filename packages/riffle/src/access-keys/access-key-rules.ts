/** What an access key's fields may hold, shared by the key file and RIFFLE_ACCESS_KEYS. */

/** IAM's AccessKeyId pattern ([\w]+, at most 128); '/' would break the credential scope. */
export const ACCESS_KEY_ID = /^\w{1,128}$/;
export const ACCOUNT_ID = /^\d{12}$/;
/** IAM's user-name pattern. */
export const USER_NAME = /^[\w+=,.@-]{1,64}$/;
