import { ServiceError, type EventStreamMessage, type OperationResult, type RequestContext, type ServiceHandler } from '@riffle/wire';
import type { Engine } from '@riffle/engine';
import type { AccountEngines } from '../accounts/account-engines.js';
import { targetAccountOf } from '../accounts/target-account.js';
import type { OperationHandler } from '../operation-handler.js';
import { deserialize } from './deserialize.js';
import { isEventStreamResult } from './event-stream-result.js';
import { formatValidationMessage } from './format-validation.js';
import type { OperationDescriptor, ServiceMetadata } from './operation-descriptor.js';
import { OutputSerializer } from './serialize.js';
import type { ServiceModel } from './shape.js';
import { findValidationErrors } from './validate.js';

/** A generated service contract plus its handlers: everything `createModelService` needs. */
export interface ModelServiceOptions {
  readonly metadata: ServiceMetadata;
  readonly model: ServiceModel;
  readonly operations: Readonly<Record<string, OperationDescriptor>>;
  /** The service's generated ValidationException. */
  readonly validationError: new (message: string) => ServiceError;
  readonly accounts: AccountEngines;
  /** Runs after validation and before the handler; throws AccessDeniedException to refuse the call. */
  readonly authorize?: Authorizer;
  readonly handlers: Partial<Record<string, OperationHandler>>;
  /** Hot-path JSON encoders by output shape name, writing bytes directly (see json-writers/). */
  readonly jsonWriters?: Readonly<Record<string, (output: any) => Buffer>>;
}

/** A validated call, the caller's engine and the engine of the account owning what it names. */
export interface AuthorizationRequest {
  readonly context: RequestContext;
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly callerEngine: Engine;
  readonly targetEngine: Engine;
}

export type Authorizer = (request: AuthorizationRequest) => void | Promise<void>;

/**
 * One AWS JSON-RPC service on the wire: deserialize -> validate -> handler -> serialize.
 * An operation exists on the wire only when it is in the model and has a handler; anything else is
 * answered as the wire answers unknown operations.
 */
export function createModelService(options: ModelServiceOptions): ServiceHandler {
  const { metadata, model, operations, handlers, accounts, authorize } = options;
  const primaryAccount = accounts.primary.config.accountId;
  const serializers = { json: new OutputSerializer(model.shapes, 'json'), cbor: new OutputSerializer(model.shapes, 'cbor') };
  const handlerOf = (operation: string): [OperationDescriptor, OperationHandler] | undefined => {
    if (!Object.hasOwn(operations, operation) || !Object.hasOwn(handlers, operation)) return undefined;
    const handler = handlers[operation];
    return handler === undefined ? undefined : [operations[operation]!, handler];
  };

  return {
    targetPrefix: metadata.targetPrefix,
    hasOperation: (operation) => handlerOf(operation) !== undefined,
    async handle(context: RequestContext, document: Record<string, unknown>): Promise<OperationResult> {
      const found = handlerOf(context.operation);
      if (found === undefined) throw new ServiceError('UnknownOperationException');
      const [descriptor, handler] = found;
      const input = deserialize(model.shapes, descriptor.input, document, context.protocol) as Readonly<Record<string, unknown>>;
      const errors = findValidationErrors(model, descriptor.input, input);
      if (errors.length > 0) throw new options.validationError(formatValidationMessage(errors));
      const callerAccount = context.caller?.accountId ?? primaryAccount;
      const callerFound = accounts.engineOf(callerAccount);
      const callerEngine = (isPromise(callerFound) ? await callerFound : callerFound) ?? accounts.primary;
      // An ARN of another hosted account is served by that account's engine (cross-account access, which
      // authorization allows only through the resource's policy); of an account not hosted here, it is not found.
      const targetAccount = targetAccountOf(input);
      const targetFound = targetAccount === undefined || targetAccount === callerAccount ? callerEngine : accounts.engineOf(targetAccount);
      const targetEngine = (isPromise(targetFound) ? await targetFound : targetFound) ?? callerEngine;
      const authorized = authorize?.({ context, operation: context.operation, input, callerEngine, targetEngine });
      if (isPromise(authorized)) await authorized;
      const output: unknown = await handler(input, { engine: targetEngine, request: context });
      if (isEventStreamResult(output)) {
        return { kind: 'event-stream', events: serializeEvents(model, descriptor, serializers.json, output.events) };
      }
      if (output === undefined || output === null || descriptor.output === undefined) return { kind: 'document', body: undefined };
      const writer = context.protocol === 'json' ? options.jsonWriters?.[descriptor.output] : undefined;
      if (writer !== undefined) return { kind: 'encoded', body: writer(output) };
      // The wire routes only Kinesis's JSON 1.1 and CBOR 1.1 to a model service.
      return { kind: 'document', body: serializers[context.protocol === 'json' ? 'json' : 'cbor'].serialize(descriptor.output, output) };
    },
  };
}

/** Open accounts and synchronous authorizers answer without a promise: nothing to await on the hot path. */
function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** Event payloads are JSON documents inside the event-stream frames, whatever the request's protocol. */
async function* serializeEvents(
  model: ServiceModel,
  descriptor: OperationDescriptor,
  serializer: OutputSerializer,
  events: AsyncIterable<EventStreamMessage>,
): AsyncIterable<EventStreamMessage> {
  const union = eventUnionOf(model, descriptor);
  for await (const event of events) {
    const target = union?.[event.type]?.target;
    yield target === undefined ? event : { ...event, payload: serializer.serialize(target, event.payload) };
  }
}

function eventUnionOf(model: ServiceModel, descriptor: OperationDescriptor) {
  if (descriptor.output === undefined) return undefined;
  const output = model.shapes[descriptor.output];
  if (output?.type !== 'structure') return undefined;
  for (const member of Object.values(output.members)) {
    const target = model.shapes[member.target];
    if (target?.type === 'structure' && target.eventStream === true) return target.members;
  }
  return undefined;
}
