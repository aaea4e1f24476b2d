import type { ServiceError } from '@riffle/wire';
import { kinesisExceptions } from '../generated/kinesis/errors.js';

/** The model's exception names (AWS `__type`s); each is a generated class. */
export type KinesisErrorType = keyof typeof kinesisExceptions;

/** A Kinesis service error with AWS's `__type` and a message from messages.ts. */
export function kinesisError(type: KinesisErrorType, message: string): ServiceError {
  return new kinesisExceptions[type](message);
}
