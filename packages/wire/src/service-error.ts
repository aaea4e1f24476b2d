/**
 * The one base for every error that reaches the wire: AWS's `__type`, HTTP status and message.
 * The wire renders it in the request's media type; `api` generates one subclass per model exception.
 */
export class ServiceError extends Error {
  /** AWS's error name, rendered as `__type` and `x-amzn-ErrorType`. */
  readonly type: string;
  readonly statusCode: number;
  /** Coral framework errors (SerializationException) spell the member `Message`; service errors `message`. */
  readonly messageKey: 'message' | 'Message';
  /** False when AWS sends the error with no message member at all (e.g. `{"__type":"SerializationException"}`). */
  readonly hasMessage: boolean;
  /**
   * The shape's absolute id (`com.amazonaws.cloudwatch#InvalidParameterValueException`) for errors of
   * awsQueryCompatible services: JSON 1.0 and rpc-v2-cbor send it as `__type`, while `type` (the awsQueryError code,
   * `InvalidParameterValue`) is the query protocol's `<Code>` and the `x-amzn-query-error` header's code.
   */
  readonly shapeId: string | undefined;

  constructor(
    type: string,
    message?: string,
    options: { statusCode?: number; messageKey?: 'message' | 'Message'; shapeId?: string } = {},
  ) {
    super(message ?? type);
    this.name = type;
    this.type = type;
    this.hasMessage = message !== undefined;
    this.statusCode = options.statusCode ?? 400;
    this.messageKey = options.messageKey ?? 'message';
    this.shapeId = options.shapeId;
  }

  /** Server faults (5xx) are retried by SDKs. */
  get fault(): boolean {
    return this.statusCode >= 500;
  }
}

export function isServiceError(value: unknown): value is ServiceError {
  return value instanceof ServiceError;
}
