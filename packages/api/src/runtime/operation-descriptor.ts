/** One operation of a generated service contract (`generated/<service>/operations.ts`). */
export interface OperationDescriptor {
  /** Input structure shape name. */
  readonly input: string;
  /** Output structure shape name; absent when AWS answers with an empty body. */
  readonly output?: string;
  /** Modeled exception shape names. */
  readonly errors: readonly string[];
  /** The query protocol's result element (`GetMetricStatisticsResult`). */
  readonly resultWrapper?: string;
}

export interface ServiceMetadata {
  readonly apiVersion: string;
  readonly serviceId: string;
  /** The `X-Amz-Target` prefix, e.g. `Kinesis_20131202`. */
  readonly targetPrefix: string;
  readonly jsonVersion: string;
  /** SigV4 service name in the credential scope. */
  readonly signingName: string;
  /** The query protocol's XML namespace, for services that speak it. */
  readonly xmlNamespace?: string;
}
