// Minimal typings for the `cbor` test dependency (it ships none).
declare module 'cbor' {
  export class Tagged {
    constructor(tag: number, value: unknown);
  }
  export function encode(...objects: unknown[]): Buffer;
  export function decodeFirstSync(input: Buffer | Uint8Array): any;
  const cbor: { Tagged: typeof Tagged; encode: typeof encode; decodeFirstSync: typeof decodeFirstSync };
  export default cbor;
}
