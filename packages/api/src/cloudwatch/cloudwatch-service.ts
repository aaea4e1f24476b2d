import type { MetricRegistry } from '@riffle/metrics';
import { ServiceError, type OperationResult, type RequestContext, type ServiceHandler } from '@riffle/wire';
import * as messages from '../errors/messages.js';
import { MissingRequiredParameterException } from '../generated/cloudwatch/errors.js';
import { cloudwatchMetadata, cloudwatchOperations } from '../generated/cloudwatch/operations.js';
import { cloudwatchModel } from '../generated/cloudwatch/shapes.js';
import { deserialize } from '../runtime/deserialize.js';
import { formatValidationMessage } from '../runtime/format-validation.js';
import { OutputSerializer } from '../runtime/serialize.js';
import { findValidationErrors } from '../runtime/validate.js';
import { cloudWatchValidationError } from './cloudwatch-framework-errors.js';
import type { CloudWatchOperationHandler } from './cloudwatch-operation.js';
import { cloudWatchOperationHandlers } from './operations/index.js';
import { queryResponseXml } from './query-output-xml.js';
import { readQueryInput } from './query-input.js';
import { firstMissingMember } from './required-members.js';

/** Runs after the input is read and checked, before the handler; throws AccessDenied to refuse. */
export type CloudWatchAuthorizer = (request: { readonly context: RequestContext; readonly operation: string }) => void;

export interface CloudWatchServiceOptions {
  /** The metrics of an account (each Engine's `metrics`); undefined for an account the server has none of. */
  readonly metricsOf: (accountId: string) => MetricRegistry | undefined;
  /** The account of callers whose signature is not verified (permissive mode): `--account-id`. */
  readonly accountId: string;
  /** Epoch milliseconds; the system clock by default. */
  readonly now?: () => number;
  readonly authorize?: CloudWatchAuthorizer;
  /** Handlers by operation name; default the three metric reads. */
  readonly operations?: Readonly<Record<string, CloudWatchOperationHandler>>;
}

/**
 * CloudWatch's metric reads (GetMetricData, GetMetricStatistics, ListMetrics) for namespace AWS/Kinesis, in the three
 * protocols the SDKs and CLIs send: the query protocol (form POST, XML answer: the AWS CLI v2 up to 2.2x), JSON 1.0
 * with awsQueryCompatible errors (the current SDKs) and rpc-v2-cbor (the protocol botocore's model prefers), signed
 * for `monitoring`. Input is read by the generated model, then required members (MissingParameter) and the model's
 * constraints (ValidationError) are checked, then the handler's own rules.
 */
export function createCloudWatchService(options: CloudWatchServiceOptions): ServiceHandler {
  const handlers = options.operations ?? cloudWatchOperationHandlers;
  const now = options.now ?? Date.now;
  const { shapes } = cloudwatchModel;
  const xmlNamespace = cloudwatchMetadata.xmlNamespace!;
  const serializers = { 'json-1.0': new OutputSerializer(shapes, 'json-1.0'), 'rpc-v2-cbor': new OutputSerializer(shapes, 'rpc-v2-cbor') };
  const known = (operation: string) => Object.hasOwn(handlers, operation) && Object.hasOwn(cloudwatchOperations, operation);

  return {
    targetPrefix: cloudwatchMetadata.targetPrefix,
    signingName: cloudwatchMetadata.signingName,
    protocols: {
      json10: true,
      query: { version: cloudwatchMetadata.apiVersion, xmlNamespace },
      rpcV2Cbor: { serviceName: cloudwatchMetadata.targetPrefix },
    },
    hasOperation: known,
    async handle(context: RequestContext, document: Record<string, unknown>): Promise<OperationResult> {
      const operation = context.operation;
      if (!known(operation)) throw new ServiceError('UnknownOperationException');
      const descriptor = cloudwatchOperations[operation as keyof typeof cloudwatchOperations];
      const handler = handlers[operation]!;
      const input = (
        context.protocol === 'query' ? readQueryInput(shapes, descriptor.input, document) : deserialize(shapes, descriptor.input, document, context.protocol)
      ) as Record<string, unknown>;
      const missing = firstMissingMember(shapes, descriptor.input, input);
      if (missing !== undefined) throw new MissingRequiredParameterException(messages.cloudWatchMissingParameter(missing));
      const problems = findValidationErrors(cloudwatchModel, descriptor.input, input);
      if (problems.length > 0) throw cloudWatchValidationError(formatValidationMessage(problems));
      options.authorize?.({ context, operation });
      const accountId = context.caller?.accountId ?? options.accountId;
      const output: unknown = await handler(input, { metrics: options.metricsOf(accountId), now: now(), request: context });
      if (context.protocol === 'query') {
        return { kind: 'encoded', body: queryResponseXml(shapes, operation, descriptor, output, context.requestId, xmlNamespace) };
      }
      if (descriptor.output === undefined || output === undefined) return { kind: 'document', body: {} };
      const serializer = context.protocol === 'rpc-v2-cbor' ? serializers['rpc-v2-cbor'] : serializers['json-1.0'];
      return { kind: 'document', body: serializer.serialize(descriptor.output, output) };
    },
  };
}
