/**
 * One data key of encryption at rest, as the metadata store keeps it: wrapped (encrypted and authenticated) by
 * the master key, which never reaches the store. Records name the data key that sealed them by its id.
 */
export interface DataKeyRecord {
  /** 1, 2, 3, ... in creation order; never reused. */
  readonly id: number;
  /** The KMS key the data key belongs to, as a canonical ARN (`...:key/<uuid>`, or `...:alias/aws/kinesis`). */
  readonly kmsKeyArn: string;
  /** Base64 of the wrapped key (the engine's format). */
  readonly wrapped: string;
  /** Epoch ms. */
  readonly createdAt: number;
}
