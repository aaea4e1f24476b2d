/** A request body that is not valid JSON or CBOR; the pipeline answers it with `SerializationException`. */
export class BodyDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyDecodeError';
  }
}

export function isBodyDecodeError(value: unknown): value is BodyDecodeError {
  return value instanceof BodyDecodeError;
}
