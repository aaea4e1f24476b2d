/** A CBOR simple value other than false/true/null/undefined (major type 7, values 0-19 and 32-255). */
export class CborSimpleValue {
  constructor(readonly value: number) {}
}
