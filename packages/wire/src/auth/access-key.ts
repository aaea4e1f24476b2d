/** One access key a SigV4 verifier accepts: what the key store hands it for an access key id. */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** 12 digits. */
  readonly accountId: string;
  /** IAM user the key belongs to; absent = the account's root. */
  readonly userName?: string;
  /** Temporary credentials: the request must carry exactly this `X-Amz-Security-Token`. */
  readonly sessionToken?: string;
  /** When the session token stops being accepted (ExpiredTokenException). */
  readonly expiration?: Date;
  /** IAM policy documents as parsed JSON; absent = full access as the account's root, `[]` = nothing allowed. */
  readonly policies?: readonly unknown[];
}

/** Finds the key for an access key id; undefined when there is none (UnrecognizedClientException). */
export type AccessKeyLookup = (accessKeyId: string) => AccessKey | undefined;
