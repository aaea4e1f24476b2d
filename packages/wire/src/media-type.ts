/** The media types the wire speaks. */
export const MediaType = {
  amzJson: 'application/x-amz-json-1.1',
  amzCbor: 'application/x-amz-cbor-1.1',
  /** Deprecated coral JSON: AWS answers it with an `Output`/`Version` envelope and never dispatches. */
  coralJson: 'application/json',
  eventStream: 'application/vnd.amazon.eventstream',
  amzJson10: 'application/x-amz-json-1.0',
  /** rpc-v2-cbor's bodies. */
  cbor: 'application/cbor',
  /** The query protocol's requests and answers. */
  form: 'application/x-www-form-urlencoded',
  xml: 'text/xml',
} as const;
