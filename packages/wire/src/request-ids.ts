import { randomBytes, randomUUID } from 'node:crypto';

/** `x-amzn-RequestId`: a UUID v4. */
export function newRequestId(): string {
  return randomUUID();
}

/** `x-amz-id-2`: base64 of 72 random bytes, as kinesalite observed from AWS. */
export function newExtendedRequestId(): string {
  return randomBytes(72).toString('base64');
}
