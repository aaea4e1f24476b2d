/**
 * Thrown by commit() when a mutation's condition does not hold: another writer (another Riffle node sharing the
 * store) changed or created the record since the caller read it. Nothing of the commit was applied; the caller
 * reloads and decides again.
 */
export class MetadataConflictError extends Error {
  readonly code = 'RIFFLE_ERR_METADATA_CONFLICT';

  /** `what` names the record, as "stream orders" or "setting x". */
  constructor(readonly what: string) {
    super(`${what} was changed by another writer`);
    this.name = 'MetadataConflictError';
  }
}
