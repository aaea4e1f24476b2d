/**
 * A header value of the Amazon event-stream format, tagged with its wire type (Smithy "Amazon Event Stream
 * Specification"): 0/1 boolean, 2 byte, 3 short, 4 integer, 5 long, 6 binary, 7 string, 8 timestamp, 9 uuid.
 */
export type EventStreamHeaderValue =
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'byte' | 'short' | 'integer'; readonly value: number }
  | { readonly type: 'long'; readonly value: bigint }
  | { readonly type: 'binary'; readonly value: Uint8Array }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'timestamp'; readonly value: Date }
  /** Canonical text form, e.g. `123e4567-e89b-12d3-a456-426614174000`. */
  | { readonly type: 'uuid'; readonly value: string };

/** Header name -> value; a bare string is shorthand for the string type (7). */
export type EventStreamHeaders = Readonly<Record<string, EventStreamHeaderValue | string>>;

