import { isEngineError, type AnyEngineError, type Engine } from '@riffle/engine';
import type { ServiceError } from '@riffle/wire';
import { InternalFailureException } from '../generated/kinesis/errors.js';
import { kinesisError } from './kinesis-error.js';
import * as messages from './messages.js';

/**
 * The engine reports what went wrong as a code with parameters; this is the one place that turns each code into
 * AWS's `__type` and exact message. The switch is exhaustive: a new engine code without a message does not compile.
 */
export function engineErrorToServiceError(error: AnyEngineError, engine: Engine): ServiceError {
  const account = engine.config.accountId;
  const region = engine.config.region;
  switch (error.code) {
    case 'StreamNotFound':
      return kinesisError('ResourceNotFoundException', messages.streamNotFound(error.params.stream, account));
    case 'StreamExists':
      return kinesisError('ResourceInUseException', messages.streamExists(error.params.stream, account));
    case 'StreamNotActive':
      return kinesisError('ResourceInUseException', messages.streamNotActive(error.params.stream, account, error.params.status));
    case 'ShardNotFound':
      return kinesisError('ResourceNotFoundException', messages.shardNotFound(error.params.shardId, error.params.stream, account));
    case 'CouldNotFindShard':
      return kinesisError('ResourceNotFoundException', messages.shardNotFoundForResharding(error.params.shardId, error.params.stream, account));
    case 'ShardLimitExceeded': {
      const { current, limit, additional } = error.params;
      return kinesisError('LimitExceededException', messages.shardLimitExceeded(account, region, current, limit, additional));
    }
    case 'TooManyCreatingStreams':
      return kinesisError('LimitExceededException', messages.tooManyCreatingStreams(account));
    case 'OnDemandStreamLimit':
      return kinesisError('LimitExceededException', messages.onDemandStreamLimitExceeded(account, region, error.params.limit));
    case 'ShardCountRequired':
      return kinesisError('InvalidArgumentException', messages.shardCountRequired());
    case 'InvalidExplicitHashKey':
      return kinesisError('InvalidArgumentException', messages.invalidExplicitHashKey(error.params.value));
    case 'RecordTooLarge': {
      const { position, limit } = error.params;
      const member = position === undefined ? 'data' : `records.${position + 1}.member.data`;
      return kinesisError('ValidationException', messages.recordDataTooLong(member, limit));
    }
    case 'InvalidSequenceNumberForOrdering':
      return kinesisError('InvalidArgumentException', messages.invalidSequenceNumberForOrdering(error.params.value, error.params.stream, account));
    case 'IteratorTypeMismatch':
      return kinesisError('InvalidArgumentException', messages.iteratorTypeMismatch(error.params.type, error.params.hasSequenceNumber));
    case 'MissingTimestamp':
      return kinesisError('InvalidArgumentException', messages.missingTimestamp());
    case 'TimestampInFuture':
      return kinesisError('InvalidArgumentException', messages.timestampInFuture(error.params.timestamp, error.params.now));
    case 'SequenceNumberOtherShard':
      return kinesisError('InvalidArgumentException', messages.sequenceNumberOtherShard(error.params.encodedShardId, error.params.shardId));
    case 'SequenceNumberOtherStream': {
      const { sequenceNumber, shardId, stream } = error.params;
      return kinesisError('InvalidArgumentException', messages.sequenceNumberOtherStream(sequenceNumber, shardId, stream, account));
    }
    case 'SequenceNumberAtShardEnd':
      return kinesisError('InvalidArgumentException', messages.sequenceNumberAtShardEnd());
    case 'InvalidSequenceNumber': {
      const { sequenceNumber, shardId, stream } = error.params;
      return kinesisError('InvalidArgumentException', messages.invalidSequenceNumber(sequenceNumber, shardId, stream, account));
    }
    case 'InvalidShardIterator':
      return kinesisError('InvalidArgumentException', messages.invalidShardIterator());
    case 'ExpiredIterator':
      return kinesisError('ExpiredIteratorException', messages.expiredIterator(error.params.createdAt, error.params.now));
    case 'WriteThroughputExceeded':
      return kinesisError('ProvisionedThroughputExceededException', messages.writeThroughputExceeded(error.params.shardId, error.params.stream, account));
    case 'ReadThroughputExceeded':
      return kinesisError('ProvisionedThroughputExceededException', messages.readThroughputExceeded(error.params.shardId, error.params.stream, account));
    case 'InjectedInternalFailure':
      // AWS's 500 carries no message: `{"__type":"InternalFailure"}` (reference §1.5).
      return new InternalFailureException();
    case 'RetentionTooShort':
      return kinesisError('InvalidArgumentException', messages.retentionTooShort(error.params.hours));
    case 'RetentionTooLong':
      return kinesisError('InvalidArgumentException', messages.retentionTooLong(error.params.hours));
    case 'RetentionNotIncrease': {
      const { stream, requested, current } = error.params;
      return kinesisError('InvalidArgumentException', messages.retentionNotIncrease(stream, requested, current));
    }
    case 'RetentionNotDecrease': {
      const { stream, requested, current } = error.params;
      return kinesisError('InvalidArgumentException', messages.retentionNotDecrease(stream, requested, current));
    }
    case 'TooManyTags':
      return kinesisError('InvalidArgumentException', messages.tooManyTags(error.params.stream, account, error.params.limit));
    case 'InvalidTagCharacters':
      return kinesisError('InvalidArgumentException', messages.invalidTagCharacters());
    case 'IllegalTagCharacters':
      return kinesisError('InvalidArgumentException', messages.illegalTagCharacters(error.params.stream, account));
    case 'ReservedTagPrefix':
      return kinesisError('InvalidArgumentException', messages.reservedTagPrefix());
    case 'NotSupportedOnDemand':
      return kinesisError('ValidationException', messages.notSupportedOnDemand(error.params.stream, account));
    case 'ShardNotOpen':
      return kinesisError('InvalidArgumentException', messages.shardAlreadyResharded(error.params.shardId, error.params.stream, account));
    case 'InvalidSplitHashKey': {
      const { key, shardId, stream, start, end } = error.params;
      return kinesisError('InvalidArgumentException', messages.invalidSplitHashKey(key, shardId, stream, account, start, end));
    }
    case 'ShardsNotAdjacent': {
      const { shardId, adjacentShardId, stream } = error.params;
      return kinesisError('InvalidArgumentException', messages.shardsNotAdjacent(shardId, adjacentShardId, stream, account));
    }
    case 'ScaleUpTooFar':
      return kinesisError('LimitExceededException', messages.scaleUpTooFar(error.params.target, error.params.current));
    case 'ScaleDownTooFar':
      return kinesisError('LimitExceededException', messages.scaleDownTooFar(error.params.target, error.params.current));
    case 'TooManyShardsPerStream': {
      const { target, current, limit } = error.params;
      return kinesisError('LimitExceededException', messages.tooManyShardsPerStream(target, current, limit));
    }
    case 'DailyChangeLimit': {
      const { stream, kind, limit } = error.params;
      return kinesisError('LimitExceededException', messages.dailyChangeLimit(kind, stream, account, limit));
    }
    case 'StreamModeUnchanged':
      return kinesisError('InvalidArgumentException', messages.streamModeUnchanged(error.params.stream, account, error.params.mode));
    case 'InvalidEncryptionType':
      return kinesisError('InvalidArgumentException', messages.invalidEncryptionType(error.params.operation, error.params.type));
    case 'StreamNotEncrypted':
      return kinesisError('InvalidArgumentException', messages.streamNotEncrypted(error.params.stream, account));
    case 'KmsKeyNotFound':
      return kinesisError('KMSNotFoundException', messages.kmsKeyNotFound(error.params));
    case 'RequiresOnDemand':
      return kinesisError('ValidationException', messages.requiresOnDemand(error.params.stream, account));
    case 'AutoNeedsOnDemand':
      return kinesisError('InvalidArgumentException', messages.requiresOnDemand(error.params.stream, account));
    case 'WarmThroughputNeedsOnDemandTarget':
      return kinesisError('InvalidArgumentException', messages.warmThroughputNeedsOnDemandTarget());
    case 'WarmThroughputNeedsCommitment':
      return kinesisError('ValidationException', messages.warmThroughputNeedsCommitment());
    case 'WarmThroughputTooHigh':
      return kinesisError('LimitExceededException', messages.warmThroughputTooHigh(error.params.requested, error.params.limit));
    case 'ResourcePolicyNotFound':
      return kinesisError('ResourceNotFoundException', messages.resourcePolicyNotFound(error.params.arn));
    case 'PartitionKeyRequired': {
      const { position } = error.params;
      const member = position === undefined ? 'partitionKey' : `records.${position + 1}.member.partitionKey`;
      return kinesisError('ValidationException', messages.partitionKeyRequired(member));
    }
    case 'ConsumerExists':
      return kinesisError('ResourceInUseException', messages.consumerExists(error.params.consumer, error.params.stream, account));
    case 'ConsumerLimitExceeded':
      return kinesisError('LimitExceededException', messages.consumerLimitExceeded(error.params.stream, account, error.params.limit));
    case 'TooManyCreatingConsumers':
      return kinesisError('LimitExceededException', messages.tooManyCreatingConsumers(account, error.params.limit));
    case 'ConsumerNotFound':
      return kinesisError('ResourceNotFoundException', messages.consumerNotFound(error.params.consumer, error.params.stream, account));
    case 'ConsumerNotActive': {
      const { consumer, createdAtSeconds, stream } = error.params;
      return kinesisError('ResourceInUseException', messages.consumerNotActive(consumer, createdAtSeconds, stream, account));
    }
    case 'SubscriptionInUse': {
      const { stream, shardId, consumer } = error.params;
      return kinesisError('ResourceInUseException', messages.subscriptionInUse(account, stream, shardId, consumer));
    }
    case 'StreamHasConsumers':
      return kinesisError('ResourceInUseException', messages.streamHasConsumers(error.params.stream, account));
    case 'DryRunThrottled':
      return kinesisError('ThrottlingException', messages.dryRunThrottled());
    case 'DryRunSucceeded':
      return kinesisError('DryRunOperationException', messages.dryRunSucceeded());
    case 'InvalidResourcePolicy':
      return kinesisError('InvalidArgumentException', messages.invalidResourcePolicy());
    case 'ChannelNotFound':
      return kinesisError('ResourceNotFoundException', messages.channelNotFound(error.params.channelId, account));
    case 'ChannelExists':
      return kinesisError('ResourceInUseException', messages.channelExists(error.params.channel, account));
    case 'ChannelOnAnotherNode':
      return kinesisError('ResourceInUseException', messages.channelOnAnotherNode(error.params.channelId, account, error.params.node));
    case 'ChannelNotActive':
      return kinesisError('ResourceInUseException', messages.channelNotActive(error.params.channelId, account, error.params.status));
    case 'ChannelStreamNotOnDemand':
      return kinesisError('InvalidArgumentException', messages.channelStreamNotOnDemand(error.params.stream, account));
    case 'ChannelsPerStreamExceeded':
      return kinesisError('LimitExceededException', messages.channelsPerStreamExceeded(error.params.stream, account, error.params.destinationType));
    case 'StreamHasChannels':
      return kinesisError('ResourceInUseException', messages.streamHasChannels(error.params.stream, account));
    case 'DataFreshnessOutOfRange': {
      const { value, min, max } = error.params;
      return kinesisError('InvalidArgumentException', messages.dataFreshnessOutOfRange(value, min, max));
    }
    case 'RecordFormatNotSupported':
      return kinesisError('InvalidArgumentException', messages.recordFormatNotSupported(error.params.format, error.params.destinationType));
    case 'GsrSchemaRequired':
      return kinesisError('InvalidArgumentException', messages.gsrSchemaRequired());
    case 'ChannelTableCount':
      return kinesisError('InvalidArgumentException', messages.channelTableCount(error.params.count));
    case 'ChannelServiceKey':
      return kinesisError('InvalidArgumentException', messages.channelServiceKey(error.params.keyId));
    case 'InvalidObjectKeyTemplate': {
      const { member, value, problem, variable } = error.params;
      return kinesisError('InvalidArgumentException', messages.invalidObjectKeyTemplate(member, value, problem, variable));
    }
    case 'ChannelDestinationMismatch': {
      const { member, channelId, destinationType } = error.params;
      return kinesisError('InvalidArgumentException', messages.channelDestinationMismatch(member, channelId, destinationType));
    }
  }
}

/** Runs `work`, translating engine errors; other errors pass through untouched. */
export async function withEngineErrors<T>(engine: Engine, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isEngineError(error)) throw engineErrorToServiceError(error, engine);
    throw error;
  }
}
