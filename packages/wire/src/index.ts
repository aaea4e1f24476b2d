export { ServiceError, isServiceError } from './service-error.js';
export { CborTag } from './cbor-tag.js';
export type {
  EventStreamMessage,
  OperationResult,
  Protocol,
  RequestContext,
  ServiceHandler,
  ServiceProtocols,
} from './service-handler.js';
export { createListener, DEFAULT_MAX_BODY_BYTES, type Listener, type ListenerOptions, type TlsCertificate } from './listener.js';
export type { AnyServerRequest, AnyServerResponse, LogSink, RequestCompletion, RequestCompletionHook } from './pipeline.js';
export { ensureSelfSignedCertificate, type CertificatePair } from './self-signed-certificate.js';
export { MediaType } from './media-type.js';
export { BodyDecodeError, isBodyDecodeError } from './codec/body-decode-error.js';
export { decodeJson, encodeJson, MAX_JSON_DEPTH } from './codec/json-codec.js';
export { decodeCbor, encodeCbor, MAX_CBOR_DEPTH } from './codec/cbor-codec.js';
export { CborSimpleValue } from './codec/cbor-simple-value.js';
export { decodeQueryForm, MAX_QUERY_PARAMETERS } from './codec/query-form.js';
export { encodeXml, escapeXml, type XmlElement } from './codec/xml-writer.js';
export { crc32 } from './eventstream/crc32.js';
export type { EventStreamHeaderValue, EventStreamHeaders } from './eventstream/event-stream-header.js';
export {
  encodeEventStreamMessage,
  MAX_EVENT_STREAM_HEADER_BYTES,
  MAX_EVENT_STREAM_PAYLOAD_BYTES,
} from './eventstream/encode-event-stream-message.js';
export {
  decodeEventStreamMessage,
  type DecodedEventStreamMessage,
} from './eventstream/decode-event-stream-message.js';
export { checkSigV4Presence, type SigV4Credentials, type SigV4PresenceInput } from './auth/sigv4-presence.js';
export type { SignatureVerifier, SignedRequest } from './auth/signature-verifier.js';
export type { AccessKey, AccessKeyLookup } from './auth/access-key.js';
export { callerIdentityOf, type CallerIdentity } from './auth/caller-identity.js';
export { createSigV4Verifier, type SigV4VerifierOptions } from './auth/sigv4-verifier.js';
export { clientAddress } from './client-address.js';
