/** A CBOR tagged value the decoder does not interpret (AWS's tag 1 carries epoch *milliseconds*, not seconds). */
export class CborTag {
  constructor(readonly tag: number, readonly value: unknown) {}
}
