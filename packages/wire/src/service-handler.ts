/** The wire's contract with the layer above: a decoded request in, a plain document (or an event stream) out. */
import type { CallerIdentity } from './auth/caller-identity.js';

/**
 * The AWS protocol of a request; the response uses the same one. `json` and `cbor` are Kinesis's (JSON 1.1 and CBOR
 * 1.1 behind `X-Amz-Target`); `json-1.0`, `rpc-v2-cbor` and `query` are those of services declaring them in
 * `ServiceHandler.protocols` (CloudWatch).
 */
export type Protocol = 'json' | 'cbor' | 'json-1.0' | 'rpc-v2-cbor' | 'query';

export interface RequestContext {
  /** Also sent back as `x-amzn-RequestId`. */
  readonly requestId: string;
  readonly protocol: Protocol;
  /** The `X-Amz-Target` prefix, e.g. `Kinesis_20131202`. */
  readonly targetPrefix: string;
  /** The operation name, e.g. `PutRecords`. */
  readonly operation: string;
  /** From the SigV4 credential scope (header or presigned query). */
  readonly accessKeyId: string;
  readonly signingRegion: string;
  /** Who signed the request, when signatures are verified (strict mode); undefined in permissive mode. */
  readonly caller?: CallerIdentity;
  readonly httpVersion: '1.1' | '2';
  readonly remoteAddress: string | undefined;
  /** Whether the request came over TLS (aws:SecureTransport, CloudTrail's tlsDetails). */
  readonly secureTransport: boolean;
  /** Aborted when the client goes away (used by long-lived event streams). */
  readonly signal: AbortSignal;
}

/** One message of an `application/vnd.amazon.eventstream` response (SubscribeToShard). */
export interface EventStreamMessage {
  /** `event` or `exception`. */
  readonly messageType: 'event' | 'exception';
  /** `:event-type` (for events) or `:exception-type` (for exceptions). */
  readonly type: string;
  /** Plain document, encoded as JSON in the payload. */
  readonly payload: unknown;
}

/** What a handler returns: a body document (undefined = empty 200 body), or an event stream. */
export type OperationResult =
  | { readonly kind: 'document'; readonly body: unknown }
  /** A body already encoded in the request's protocol, for hot paths that write their bytes directly. */
  | { readonly kind: 'encoded'; readonly body: Buffer }
  | { readonly kind: 'event-stream'; readonly events: AsyncIterable<EventStreamMessage> };

/**
 * One AWS JSON-RPC service (Kinesis, later Firehose) behind one `X-Amz-Target` prefix.
 * The input document is as decoded from JSON or CBOR (plain objects, arrays, strings, numbers, booleans,
 * null; CBOR byte strings as Uint8Array; CBOR tag 1 as `CborTag`); the handler validates and types it.
 * The output document must already be protocol-shaped (base64 strings for JSON, Uint8Array for CBOR).
 * Throw a `ServiceError` to answer with an AWS error; anything else becomes a 500 InternalFailure.
 */
export interface ServiceHandler {
  readonly targetPrefix: string;
  /**
   * The protocols of a service that does not speak Kinesis's JSON 1.1 and CBOR 1.1: when set, the service is reached
   * only by these. Its requests reach `handle` as: JSON 1.0 and rpc-v2-cbor, the decoded document; query, the form's
   * parameters (all but Action and Version) as a flat map of strings keyed by their dotted names
   * (`Dimensions.member.1.Name`). A query answer must be `encoded` XML.
   */
  readonly protocols?: ServiceProtocols;
  /** The SigV4 service name its requests are scoped to (`monitoring`), when not the verifier's default. */
  readonly signingName?: string;
  hasOperation(operation: string): boolean;
  handle(context: RequestContext, input: Record<string, unknown>): Promise<OperationResult>;
}

/** The AWS protocols a non-Kinesis service is reached by. */
export interface ServiceProtocols {
  /** `Content-Type: application/x-amz-json-1.0` with `X-Amz-Target: <targetPrefix>.<Operation>`. */
  readonly json10?: boolean;
  /** Form POSTs with `Action=<Operation>&Version=<version>`, answered in XML in `xmlNamespace`. */
  readonly query?: { readonly version: string; readonly xmlNamespace: string };
  /** `POST /service/<serviceName>/operation/<Operation>` with `smithy-protocol: rpc-v2-cbor`. */
  readonly rpcV2Cbor?: { readonly serviceName: string };
}
