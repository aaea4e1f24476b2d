import { ServiceError } from '@riffle/wire';

/**
 * CloudWatch's errors that are not in its model: Coral's constraint failures (`ValidationError` in the query
 * protocol; ansible/ansible#29694 shows one) and IAM's refusal (sources/cloudwatch.md).
 */
export function cloudWatchValidationError(message: string): ServiceError {
  return new ServiceError('ValidationError', message, { shapeId: 'com.amazon.coral.validate#ValidationException' });
}

export function cloudWatchAccessDenied(message: string): ServiceError {
  return new ServiceError('AccessDenied', message, { statusCode: 403, shapeId: 'com.amazon.coral.service#AccessDeniedException' });
}
