import type { ServiceError } from '@riffle/wire';
import {
  AccessDeniedException,
  ExpiredIteratorException,
  ExpiredNextTokenException,
  InvalidArgumentException,
  LimitExceededException,
  ProvisionedThroughputExceededException,
  ResourceInUseException,
  ResourceNotFoundException,
  ValidationException,
} from '../generated/kinesis/errors.js';

/** The model exceptions handlers raise, by AWS `__type`; each is a generated class. */
const exceptions = {
  AccessDeniedException,
  ExpiredIteratorException,
  ExpiredNextTokenException,
  InvalidArgumentException,
  LimitExceededException,
  ProvisionedThroughputExceededException,
  ResourceInUseException,
  ResourceNotFoundException,
  ValidationException,
} as const;

export type KinesisErrorType = keyof typeof exceptions;

/** A Kinesis service error with AWS's `__type` and a message from messages.ts. */
export function kinesisError(type: KinesisErrorType, message: string): ServiceError {
  return new exceptions[type](message);
}
