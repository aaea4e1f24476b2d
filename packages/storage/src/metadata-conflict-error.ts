/**
 * Thrown by commit() when a mutation's condition does not hold: another writer (another Riffle node sharing the
 * store) changed or created the stream since the caller read it. Nothing of the commit was applied; the caller
 * reloads and decides again.
 */
export class MetadataConflictError extends Error {
  readonly code = 'RIFFLE_ERR_METADATA_CONFLICT';

  constructor(readonly streamName: string) {
    super(`stream record ${streamName} was changed by another writer`);
    this.name = 'MetadataConflictError';
  }
}
