export type EncryptionErrorCode =
  /** The keyring (file or RIFFLE_MASTER_KEY) cannot be used as given. */
  | 'RIFFLE_ERR_KEYRING'
  /** The master key does not open the data keys the metadata store holds: they were wrapped under another. */
  | 'RIFFLE_ERR_MASTER_KEY'
  /** A stored record does not decrypt or authenticate: damaged, moved, or missing its data key. */
  | 'RIFFLE_ERR_RECORD_DECRYPTION';

/** Encryption at rest cannot go on. Messages never hold key material or record data. */
export class EncryptionError extends Error {
  constructor(
    readonly code: EncryptionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EncryptionError';
  }
}
