/** Thrown when a closed log or store is used; a programming error, never a client's. */
export class StorageClosedError extends Error {
  readonly code = 'RIFFLE_ERR_STORAGE_CLOSED';

  constructor(what: string) {
    super(`${what} is closed`);
    this.name = 'StorageClosedError';
  }
}
