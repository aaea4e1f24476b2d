import type { ServiceHandler } from '@riffle/wire';
import type { Engine } from '@riffle/engine';
import { singleAccount, type AccountEngines } from './accounts/account-engines.js';
import { ValidationException } from './generated/kinesis/errors.js';
import { kinesisMetadata, kinesisOperations } from './generated/kinesis/operations.js';
import { kinesisModel } from './generated/kinesis/shapes.js';
import { guardOperations } from './limits/guard-operations.js';
import type { OperationHandler } from './operation-handler.js';
import { getRecordsOutputJson } from './runtime/json-writers/get-records-output-json.js';
import { putRecordsOutputJson } from './runtime/json-writers/put-records-output-json.js';
import { createModelService, type Authorizer } from './runtime/model-service.js';

export interface KinesisServiceOptions {
  /** The primary account's engine. */
  readonly engine: Engine;
  /** Every hosted account's engine (default: the primary alone). */
  readonly accounts?: AccountEngines;
  readonly authorize?: Authorizer;
  /** Handlers by operation name (`PutRecords`); operations without one answer UnknownOperationException. */
  readonly operations: Partial<Record<string, OperationHandler>>;
  /** AWS's control-plane rates per account (LimitExceededException); default on. */
  readonly controlPlaneLimits?: boolean;
}

/**
 * Kinesis Data Streams behind `X-Amz-Target: Kinesis_20131202.*`. A handler gets input that passed
 * the model's types and constraints and returns typed output (or `eventStreamResult(...)`).
 */
export function createKinesisService(options: KinesisServiceOptions): ServiceHandler {
  return createModelService({
    metadata: kinesisMetadata,
    model: kinesisModel,
    operations: kinesisOperations,
    validationError: ValidationException,
    accounts: options.accounts ?? singleAccount(options.engine),
    ...(options.authorize ? { authorize: options.authorize } : {}),
    // Rates and injected faults run before the handler (the data plane's are the engine's).
    handlers: guardOperations(options.operations, options.engine, { controlPlaneLimits: options.controlPlaneLimits ?? true }),
    jsonWriters: { GetRecordsOutput: getRecordsOutputJson, PutRecordsOutput: putRecordsOutputJson },
  });
}
