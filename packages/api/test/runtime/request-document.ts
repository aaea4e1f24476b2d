import type { Protocol } from '@riffle/wire';
import { deserialize } from '../../src/runtime/deserialize.js';
import { findValidationErrors } from '../../src/runtime/validate.js';
import { formatValidationMessage } from '../../src/runtime/format-validation.js';
import { kinesisModel } from '../../src/generated/kinesis/shapes.js';
import { kinesisOperations, type KinesisOperationName } from '../../src/generated/kinesis/operations.js';

/** Test helper: deserializes a request document for a Kinesis operation. */
export function readInput(operation: KinesisOperationName, document: unknown, protocol: Protocol = 'json'): unknown {
  return deserialize(kinesisModel.shapes, kinesisOperations[operation].input, document, protocol);
}

/** Test helper: the ValidationException message AWS would send, or undefined when the input is valid. */
export function validationMessage(operation: KinesisOperationName, document: unknown): string | undefined {
  const input = readInput(operation, document);
  const errors = findValidationErrors(kinesisModel, kinesisOperations[operation].input, input);
  return errors.length === 0 ? undefined : formatValidationMessage(errors);
}
