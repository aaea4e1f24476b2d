/**
 * Every human-readable message Riffle sends, in one place. Texts are AWS's as captured against live AWS by
 * kinesalite (actions/*.js) or quoted in public issue threads; see shared/reference/kinesis-api.md §1.5.
 * Where no live text is known the wording follows AWS's grammar and says so.
 */

const serviceLimitsUrl = 'http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html';

export const streamNotFound = (stream: string, account: string) =>
  `Stream ${stream} under account ${account} not found.`;

export const streamExists = (stream: string, account: string) =>
  `Stream ${stream} under account ${account} already exists.`;

export const streamNotActive = (stream: string, account: string, status: string) =>
  `Stream ${stream} under account ${account} not ACTIVE, instead in state ${status}`;

/** GetShardIterator / GetRecords wording (kinesalite actions/getShardIterator.js). */
export const shardNotFound = (shardId: string, stream: string, account: string) =>
  `Shard ${shardId} in stream ${stream} under account ${account} does not exist`;

/** Split/Merge wording (kinesalite actions/splitShard.js). */
export const shardNotFoundForResharding = (shardId: string, stream: string, account: string) =>
  `Could not find shard ${shardId} in stream ${stream} under account ${account}.`;

export const shardLimitExceeded = (account: string, region: string, current: number, limit: number, additional: number) =>
  `This request would exceed the shard limit for the account ${account} in ${region}. ` +
  `Current shard count for the account: ${current}. Limit: ${limit}. ` +
  `Number of additional shards that would have resulted from this request: ${additional}. ` +
  `Refer to the AWS Service Limits page (${serviceLimitsUrl}) for current limits and how to request higher limits.`;

/** AWS allows 5 streams in CREATING per account; wording follows AWS's LimitExceeded grammar (no live capture). */
export const tooManyCreatingStreams = (account: string) =>
  `Account ${account} has reached the maximum number of streams allowed in the CREATING state (5).`;

/** No live capture; follows the shard-limit message's grammar. */
export const onDemandStreamLimitExceeded = (account: string, region: string, limit: number) =>
  `This request would exceed the on-demand stream count limit for the account ${account} in ${region}. Limit: ${limit}.`;

/** LocalStack's snapshot tests against AWS. */
export const shardCountRequired = () => 'ShardCount cannot be null when creating stream in PROVISIONED StreamMode';

export const invalidExplicitHashKey = (value: string) =>
  `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${value}`;

export const invalidSequenceNumberForOrdering = (value: string, stream: string, account: string) =>
  `ExclusiveMinimumSequenceNumber ${value} used in PutRecord on stream ${stream} under account ${account} is invalid.`;

/** No live capture for the per-stream MaxRecordSizeInKiB check; follows the model's ValidationException grammar. */
export const iteratorTypeMismatch = (type: string, hasSequenceNumber: boolean) =>
  'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
  '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. ' +
  `Request specified ${type} and ${hasSequenceNumber ? 'also a' : 'no'} StartingSequenceNumber.`;

export const missingTimestamp = () =>
  'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.';

export const timestampInFuture = (timestampMillis: number, nowMillis: number) =>
  `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. ` +
  `timestampInMillis: ${timestampMillis}, currentTimestampInMillis: ${nowMillis}`;

export const sequenceNumberOtherShard = (encodedShardId: string, shardId: string) =>
  `Invalid StartingSequenceNumber. It encodes ${encodedShardId}, while it was used in a call to a shard with ${shardId}`;

export const sequenceNumberOtherStream = (sequenceNumber: string, shardId: string, stream: string, account: string) =>
  `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator on shard ${shardId} in stream ${stream} ` +
  `under account ${account} is invalid because it did not come from this stream.`;

/** etspaceman/kinesis-mock PR #1536 (2026-09), matching AWS. */
export const sequenceNumberAtShardEnd = () =>
  'Invalid SequenceNumber for ShardIteratorType AFTER_SEQUENCE_NUMBER, SequenceNumber has reached max possible value for the shard.';

/** Same grammar as the other-stream message (kinesalite actions/getShardIterator.js). */
export const invalidSequenceNumber = (sequenceNumber: string, shardId: string, stream: string, account: string) =>
  `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator on shard ${shardId} in stream ${stream} ` +
  `under account ${account} is invalid.`;

export const invalidShardIterator = () => 'Invalid ShardIterator.';

/** Dates as Java's Date.toString() in UTC: "Thu Jan 22 01:22:02 UTC 2015" (kinesalite actions/getRecords.js). */
export const expiredIterator = (createdAtMillis: number, nowMillis: number) =>
  `Iterator expired. The iterator was created at time ${javaDate(createdAtMillis)} while right now it is ` +
  `${javaDate(nowMillis)} which is further in the future than the tolerated delay of 300000 milliseconds.`;

// Throughput limits and throttling: ProvisionedThroughputExceededException (data plane), LimitExceededException
// (control plane).

/**
 * A PutRecords entry or PutRecord over its shard's write limit. Live AWS output quoted in mhart/kinesalite PR #87
 * (PutRecords ErrorMessage, 2019) and rclark/kinesis-readable#4 (2015).
 */
export const writeThroughputExceeded = (shardId: string, stream: string, account: string) =>
  `Rate exceeded for shard ${shardId} in stream ${stream} under account ${account}.`;

/**
 * GetRecords over its shard's read limits, as current AWS words it: `Rate exceeded for Shard - <account>/<stream>/<shard>`
 * (awslabs/amazon-kinesis-client#1521, 2025; risingwavelabs/risingwave#7453, 2023). No capture of GetShardIterator's
 * own text was found; it gets the same read wording.
 */
export const readThroughputExceeded = (shardId: string, stream: string, account: string) =>
  `Rate exceeded for Shard - ${account}/${stream}/${shardId}`;

/** A control-plane call over its rate, naming the stream (boto/botocore PR #821, DescribeStream; awslabs/amazon-kinesis-scaling-utils#52). */
export const streamRateExceeded = (stream: string, account: string) =>
  `Rate exceeded for stream ${stream} under account ${account}.`;

/** A control-plane call over its rate that names no stream (Graylog2/graylog-plugin-integrations#341, 2019). */
export const accountRateExceeded = (account: string) => `Rate exceeded for account ${account}.`;

export const retentionTooShort = (hours: number) =>
  `Minimum allowed retention period is 24 hours. Requested retention period (${hours} hours) is too short.`;

export const retentionTooLong = (hours: number) =>
  `Maximum allowed retention period is 8760 hours. Requested retention period (${hours} hours) is too long.`;

export const retentionNotIncrease = (stream: string, requested: number, current: number) =>
  `Requested retention period (${requested} hours) for stream ${stream} can not be shorter than existing ` +
  `retention period (${current} hours). Use DecreaseRetentionPeriod API.`;

export const retentionNotDecrease = (stream: string, requested: number, current: number) =>
  `Requested retention period (${requested} hours) for stream ${stream} can not be longer than existing ` +
  `retention period (${current} hours). Use IncreaseRetentionPeriod API.`;

/** kinesalite captured the 10-tag rule; AWS now allows 50 tags per stream. */
export const tooManyTags = (stream: string, account: string, limit: number) =>
  `Failed to add tags to stream ${stream} under account ${account} because a given stream cannot have more ` +
  `than ${limit} tags associated with it.`;

/** A '%' in a tag (kinesalite actions/addTagsToStream.js, captured from AWS). */
export const illegalTagCharacters = (stream: string, account: string) =>
  `Failed to add tags to stream ${stream} under account ${account} because some tags contained illegal characters. ` +
  "The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@'.";

export const invalidTagCharacters = () =>
  'Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.';

/** No live capture; AWS reserves the `aws:` prefix for its own tags. */
export const reservedTagPrefix = () => 'Tag keys cannot start with the reserved prefix aws:.';

export const streamNameOrArnRequired = () => 'Either StreamName or StreamARN must be provided.';

/** No live capture (reference §6 q7): both given but naming different streams. */
export const streamNameArnMismatch = (stream: string, arn: string) =>
  `StreamName ${stream} and StreamARN ${arn} do not refer to the same stream.`;

// ListShards argument rules, live texts (apache/beam#33478, awslabs/amazon-kinesis-client PR #788).
export const listShardsNeedsStreamOrToken = () => 'Either NextToken or StreamName should be provided.';
export const listShardsTokenWithStream = () => 'NextToken and StreamName cannot be provided together.';
export const listShardsTokenWithFilter = () => 'NextToken and ShardFilter cannot be provided together.';
/** No live capture; follows the rules above. */
export const listShardsTokenWithOther = (member: string) => `NextToken and ${member} cannot be provided together.`;
export const shardFilterNeedsShardId = () => 'ShardId must be provided for the AFTER_SHARD_ID ShardFilter type.';
export const shardFilterNeedsTimestamp = (type: string) =>
  `Timestamp must be provided for the ${type} ShardFilter type.`;
export const shardFilterForbidsShardId = (type: string) => `ShardId must not be provided for the ${type} ShardFilter type.`;
export const shardFilterForbidsTimestamp = (type: string) => `Timestamp must not be provided for the ${type} ShardFilter type.`;
export const invalidNextToken = () => 'Invalid NextToken.';
/** Generic AWS wording for expired pagination tokens. */
export const expiredNextToken = () => 'The NextToken has expired.';

/** Streams created before `StreamCreationTimestamp` no longer exist under that name (ListShards). */
export const streamCreationTimestampMismatch = (stream: string, account: string) => streamNotFound(stream, account);

export const arnNotFound = (arn: string) => `Resource ${arn} not found.`;

// ---- channels ----
// No live AWS text is known for any channel error (the operations are from 2026-09 and no peer or issue quotes
// one): each follows the grammar of the stream messages above and of AWS's argument messages, and says so here.

/** Follows streamNotFound; the channel is named by its ChannelId (the last part of its ARN). */
export const channelNotFound = (channelId: string, account: string) =>
  `Channel ${channelId} under account ${account} not found.`;

/** Follows streamExists; channel names are unique per account and Region (CreateChannel documentation). */
export const channelExists = (channel: string, account: string) =>
  `Channel ${channel} under account ${account} already exists.`;

/** Riffle's own (AWS has no nodes): a channel is changed through the Riffle node that keeps it. */
export const channelOnAnotherNode = (channelId: string, account: string, node: string) =>
  `Channel ${channelId} under account ${account} is kept by another Riffle node (${node}); change it through that node.`;

/** Follows streamNotActive. */
export const channelNotActive = (channelId: string, account: string, status: string) =>
  `Channel ${channelId} under account ${account} not ACTIVE, instead in state ${status}`;

/** "This operation is only supported for data streams with the on-demand capacity mode." (CreateChannel documentation) */
export const channelStreamNotOnDemand = (stream: string, account: string) =>
  `Stream ${stream} under account ${account} is not in ON_DEMAND capacity mode. ` +
  'Channels are only supported for data streams with the on-demand capacity mode.';

/** "Currently, one stream is supported per channel." (CreateChannelInput documentation) */
export const channelStreamCount = (count: number) =>
  `StreamConfigurationList must contain exactly one stream configuration. Specified: ${count}.`;

/** "You must specify either S3DestinationConfiguration or S3TablesDestinationConfiguration, but not both." */
export const channelDestinationRequired = () =>
  'Either S3DestinationConfiguration or S3TablesDestinationConfiguration must be provided.';
export const channelDestinationsTogether = () =>
  'S3DestinationConfiguration and S3TablesDestinationConfiguration cannot be provided together.';

/** "Currently, one table is supported per channel." (S3TablesDestinationConfiguration documentation) */
export const channelTableCount = (count: number) =>
  `S3TablesConfigurationList must contain exactly one table configuration. Specified: ${count}.`;

/** 300 to 900 seconds (Developer Guide, data delivery concepts); the model gives the member no range. */
export const dataFreshnessOutOfRange = (value: number, min: number, max: number) =>
  `DataFreshnessInSeconds must be between ${min} and ${max} seconds. Requested value: ${value}.`;

/** RecordConfiguration documentation: which RecordFormatType each destination supports. */
export const recordFormatNotSupported = (format: string, destinationType: 'S3' | 'S3_TABLES') =>
  `RecordFormatType ${format} is not supported for ${
    destinationType === 'S3' ? 'general purpose Amazon S3' : 'streaming table (Amazon S3 Tables)'
  } destinations.`;

/** "Required when the channel destination is a streaming table." (RecordConfiguration documentation) */
export const gsrSchemaRequired = () => 'GSRSchemaARN is required when the channel destination is a streaming table.';

/** "You cannot use the Amazon Kinesis Data Streams service key (aws/kinesis)." (ChannelEncryptionConfiguration) */
export const channelServiceKey = (keyId: string) =>
  `KeyId ${keyId} cannot be used: channels need a customer managed AWS KMS key, not the Amazon Kinesis Data Streams service key (aws/kinesis).`;

const keyTemplateProblems = {
  unbalanced: () => 'every !{ must be closed by a }',
  unknownVariable: (variable?: string) => `!{${variable ?? ''}} is not a supported variable`,
  leadingSlash: () => 'it must not start with /',
  trailingSlash: () => 'it must not end with /',
  pathTraversal: () => 'it must not contain . or .. path segments',
};

/** The MSK delivery's template rules, the closest AWS publishes (msk-data-delivery-s3-template-rules). */
export const invalidObjectKeyTemplate = (
  member: string,
  value: string,
  problem: keyof typeof keyTemplateProblems,
  variable?: string,
) => `Invalid ${member} ${value}: ${keyTemplateProblems[problem](variable)}.`;

/** One S3 channel and one S3 Tables channel per stream (Developer Guide, delivery quotas: "Deliveries per stream 2"). */
export const channelsPerStreamExceeded = (stream: string, account: string, destinationType: 'S3' | 'S3_TABLES') =>
  `Stream ${stream} under account ${account} already has a channel with ChannelDestinationType ${destinationType}. ` +
  'A stream can have one channel per destination type.';

/** "A stream cannot be deleted while it has active channels." (DeleteChannel documentation) */
export const streamHasChannels = (stream: string, account: string) =>
  `Stream ${stream} under account ${account} has channels attached to it. Delete its channels before deleting the stream.`;

export const updateChannelNothingToUpdate = () =>
  'At least one of S3DestinationConfiguration, S3TablesDestinationConfiguration or LoggingConfiguration must be provided.';

export const channelDestinationMismatch = (member: string, channelId: string, destinationType: string) =>
  `${member} cannot be used with channel ${channelId}, whose ChannelDestinationType is ${destinationType}.`;

/** ChannelStatusReason of the channels Riffle accepts but cannot deliver (Riffle's own words). */
export const channelS3TablesNotDelivered = () =>
  'Riffle does not deliver to streaming tables (Amazon S3 Tables); only general purpose Amazon S3 destinations are delivered.';
export const channelCompressionUnavailable = () =>
  `ZSTD compression needs Node.js 22.15 or later; this Riffle runs on Node.js ${process.versions.node}. Use GZIP or NONE.`;

function javaDate(millis: number): string {
  const d = new Date(millis);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** A PutRecords entry whose shard could not store it (AWS PutRecords API reference, example response). */
export const internalServiceFailure = () => 'Internal service failure.';

// ---- resharding, capacity modes and stream settings (issue 5) ----
// Sources and confidence for each text: packages/api/src/errors/sources/resharding-and-settings.md, summarised in the comment above each.

// getmoto/moto kinesis/exceptions.py StreamCannotBeUpdatedError (type ValidationException per the model's documentation).
export const notSupportedOnDemand = (stream: string, account: string) =>
  `Request is invalid. Stream ${stream} under account ${account} is in On-Demand mode.`;

// Not found for AWS; the mirror of the on-demand text above (AWS grammar).
export const requiresOnDemand = (stream: string, account: string) =>
  `Request is invalid. Stream ${stream} under account ${account} is in Provisioned mode.`;

// Live AWS, quoted in mhart/kinesalite#109.
export const shardAlreadyResharded = (shardId: string, stream: string, account: string) =>
  `Shard ${shardId} in stream ${stream} under account ${account} has already been merged or split, and thus is not eligible for merging or splitting.`;

// kinesalite actions/splitShard.js (captured from AWS).
export const invalidSplitHashKey = (key: string, shardId: string, stream: string, account: string, start: string, end: string) =>
  `NewStartingHashKey ${key} used in SplitShard() on shard ${shardId} in stream ${stream} under account ${account} ` +
  `is not both greater than one plus the shard's StartingHashKey ${start} and less than the shard's EndingHashKey ${end}.`;

// kinesalite actions/mergeShards.js (captured from AWS).
export const shardsNotAdjacent = (shardId: string, adjacentShardId: string, stream: string, account: string) =>
  `Shards ${shardId} and ${adjacentShardId} in stream ${stream} under account ${account} are not an adjacent pair of shards eligible for merging`;

// AWS-authored awslabs/landing-zone-accelerator-on-aws docs quote it; the comma as in mhart/kinesalite PR #103.
export const scaleUpTooFar = (target: number, current: number) =>
  `UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: ${current}, Target shard count: ${target}`;

// mhart/kinesalite PR #103 test/updateShardCount.js.
export const scaleDownTooFar = (target: number, current: number) =>
  `UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: ${current}, Target shard count: ${target}`;

// mhart/kinesalite PR #103 test/updateShardCount.js, with AWS's per-stream maximum.
export const tooManyShardsPerStream = (target: number, current: number, limit: number) =>
  `Target shard count or number of open shards cannot be greater than ${limit}. Current open shard count: ${current}, Target shard count: ${target}`;

// Not found for AWS (AWS grammar). UpdateStreamMode's is AWS's generic rate text (aws/aws-cdk#18139).
export const dailyChangeLimit = (kind: 'scale' | 'mode' | 'startEncryption' | 'stopEncryption', stream: string, account: string, limit: number) => {
  switch (kind) {
    case 'mode':
      return rateExceededForStream(stream, account);
    case 'scale':
      return `Exceeded the limit of ${limit} UpdateShardCount operations per rolling 24-hour period for stream ${stream} under account ${account}.`;
    case 'startEncryption':
      return `Exceeded the limit of ${limit} StartStreamEncryption operations per rolling 24-hour period for stream ${stream} under account ${account}.`;
    case 'stopEncryption':
      return `Exceeded the limit of ${limit} StopStreamEncryption operations per rolling 24-hour period for stream ${stream} under account ${account}.`;
  }
};

// Live AWS for DescribeStream over its rate (boto/botocore PR #821); also CreateStream/DeleteStream (terraform-provider-aws).
export const rateExceededForStream = (stream: string, account: string) => `Rate exceeded for stream ${stream} under account ${account}.`;

// Not found for AWS (AWS grammar).
export const streamModeUnchanged = (stream: string, account: string, mode: string) =>
  `Stream ${stream} under account ${account} is already in ${mode} mode.`;

// Not found for AWS (AWS grammar).
export const invalidEncryptionType = (operation: string, type: string) => `EncryptionType ${type} is not supported by ${operation}.`;

// Not found for AWS (AWS grammar).
export const streamNotEncrypted = (stream: string, account: string) =>
  `Stream ${stream} under account ${account} is not encrypted.`;

// Not found for AWS (AWS grammar): the model documents WarmThroughputMiBps for a switch to ON_DEMAND only.
export const warmThroughputNeedsOnDemandTarget = () =>
  'WarmThroughputMiBps can only be specified when switching the stream to ON_DEMAND mode.';

// Not found for AWS (AWS grammar); the operation's documentation names the account setting.
export const warmThroughputNeedsCommitment = () =>
  'Request is invalid. Warm throughput requires MinimumThroughputBillingCommitment to be enabled for the account.';

// Not found for AWS (AWS grammar); 10 GiB/s is the documented maximum.
export const warmThroughputTooHigh = (requested: number, limit: number) =>
  `WarmThroughputMiBps ${requested} exceeds the limit of ${limit} MiBps.`;

// A LocalStack fork snapshot-tested against AWS (localemu; LocalStack PR #12961).
export const resourcePolicyNotFound = (arn: string) => `No resource policy found for resource ARN ${arn}`;

// Not found for AWS (AWS grammar).
export const invalidResourcePolicy = () => 'Invalid policy document.';

// Not found for AWS; EC2's DryRun text, which botocore's DryRunOperationException description matches in meaning.
export const dryRunSucceeded = () => 'Request would have succeeded, but DryRun flag is set.';

// Live AWS after the 10 MiB launch (awslabs/amazon-kinesis-producer#680): no value shown, the index 1-based.
export const recordDataTooLong = (member: string, limit: number) =>
  `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${limit}.`;

// Live AWS when the limit was 5 MB (aws/amazon-kinesis-streams-for-fluent-bit#21); now 10 MB.
export const putRecordsTooLarge = () => 'Records size exceeds 10 MB limit';

// The model's required-member text, which AWS gave before PartitionKey became optional for AUTO streams.
export const partitionKeyRequired = (member: string) =>
  `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`;

// Not found for AWS: the developer guide names only the type (kds-dryrun-validation); AWS's generic throttling text.
export const dryRunThrottled = () => 'Rate exceeded';

// ---- enhanced fan-out consumers (issue 6) ----
// Sources and confidence: packages/api/src/errors/sources/enhanced-fan-out.md. AWS's newer consumer messages name a stream `A:S`.

// Not found for AWS (AWS grammar; the type is ResourceInUseException, apache/flink-connector-aws PR #255).
export const consumerExists = (consumer: string, stream: string, account: string) =>
  `Consumer ${consumer} under stream ${stream} and account ${account} already exists.`;

// Not found for AWS (AWS grammar).
export const consumerLimitExceeded = (stream: string, account: string, limit: number) =>
  `This request would exceed the limit of ${limit} consumers for stream ${stream} under account ${account}.`;

// Not found for AWS (AWS grammar); the API reference names the rule.
export const tooManyCreatingConsumers = (account: string, limit: number) =>
  `Only ${limit} consumers can be in CREATING status at the same time under account ${account}.`;

// Not found for AWS: the grammar of AWS's real consumer texts (the SubscribeToShard and PutResourcePolicy ones).
export const consumerNotFound = (consumer: string, stream: string, account: string) =>
  `Consumer ${consumer} under stream ${stream} and account ${account} not found.`;

export const consumerArnNotFound = (arn: string) => `Consumer ${arn} not found.`;

// Live AWS (rebuy-de/aws-nuke#497, aws/aws-cli#3580; the apostrophe is U+2019).
export const streamHasConsumers = (stream: string, account: string) =>
  `DeleteStream can’t delete ${account}:${stream} because there are consumers associated with this data stream. ` +
  `To delete ${stream} anyway, set the EnforceConsumerDeletion parameter to true to force the deletion of all the consumers that are associated with it.`;

// Not found for AWS (AWS grammar).
export const consumerArnMismatch = () => 'ConsumerARN does not match the given StreamARN and ConsumerName.';

// kinesis-mock's text (not found for AWS).
export const consumerAddressRequired = () => 'ConsumerArn or both ConsumerName and StreamARN are required for this request.';

// Live AWS (awslabs/kinesis-hot-shard-advisor#37); the spacing is AWS's own.
export const consumerNotActive = (consumer: string, createdAtSeconds: number, stream: string, account: string) =>
  `Consumer ${consumer} with creation timestamp ${createdAtSeconds} under stream: ${stream} , account ${account} is not in ACTIVE status.`;

// Live AWS (a Databricks KB article, awslabs/spark-sql-kinesis-connector, daangn/kinesumer#16); no full stop.
export const subscriptionInUse = (account: string, stream: string, shardId: string, consumer: string) =>
  `Another active subscription exists for this consumer: ${account}:${stream}:${shardId}:${consumer}`;

// Live AWS inside SubscribeToShard event streams (amazon-kinesis-client#529).
export const subscriptionInternalFailure = () => 'Internal Service Error';

// ---- authorization (issue 7) ----
// Sources and confidence: packages/api/src/errors/sources/authorization.md. IAM's own wording, which Kinesis
// returns as AccessDeniedException (HTTP 400); `on resource: …` is left out for actions without a resource.
const deniedAction = (principal: string, action: string, resource: string) =>
  `User: ${principal} is not authorized to perform: ${action}${resource === '*' ? '' : ` on resource: ${resource}`}`;

// Live AWS (opensearch-project/data-prepper#6886, awslabs/amazon-kinesis-connector-flink#65, and more).
export const accessDeniedNoIdentityPolicy = (principal: string, action: string, resource: string) =>
  `${deniedAction(principal, action, resource)} because no identity-based policy allows the ${action} action`;

// IAM's wording for every service (IAM User Guide, "Access denied error messages"); no Kinesis capture found.
export const accessDeniedExplicitDenyInIdentityPolicy = (principal: string, action: string, resource: string) =>
  `${deniedAction(principal, action, resource)} with an explicit deny in an identity-based policy`;

// IAM's wording, captured live for S3; no Kinesis capture found.
export const accessDeniedExplicitDenyInResourcePolicy = (principal: string, action: string, resource: string) =>
  `${deniedAction(principal, action, resource)} with an explicit deny in a resource-based policy`;

// IAM's wording (IAM User Guide, "Access denied error messages"); no Kinesis capture found.
export const accessDeniedNoResourcePolicy = (principal: string, action: string, resource: string) =>
  `${deniedAction(principal, action, resource)} because no resource-based policy allows the ${action} action`;

// ---- encryption at rest (issue 7) ----
// Sources and confidence for each text: packages/api/src/errors/sources/encryption.md.

/**
 * KMSNotFoundException of StartStreamEncryption: KMS's NotFoundException text, passed on as Kinesis passes KMS's
 * AccessDenied text (serverless-apigateway-service-proxy#101). KMS's texts are verbatim from real answers
 * (boto/botocore#2107; sigstore/cosign#1474); the one for a KeyId of no known form is LocalStack's.
 */
export const kmsKeyNotFound = (key: { keyId: string; kind: 'key' | 'alias'; arn: string } | { keyId: string; kind: 'invalid' }) => {
  switch (key.kind) {
    case 'key':
      return `Key '${key.arn}' does not exist`;
    case 'alias':
      return `Alias ${key.arn} is not found.`;
    case 'invalid':
      return `Invalid keyId '${key.keyId}'`;
  }
};

// ---- CloudWatch metric reads (issue 8) ----
// Sources and confidence for each text: packages/api/src/errors/sources/cloudwatch.md.

/** MissingParameter; the query protocol's path of the member (`MetricDataQueries.member.1.MetricStat`). */
export const cloudWatchMissingParameter = (path: string) => `The parameter ${path} is required.`;

/** GetMetricData's query with neither MetricStat nor Expression: AWS ends this text with a line feed. */
export const cloudWatchMetricStatRequired = (index: number) => `The parameter MetricDataQueries.member.${index}.MetricStat is required.\n`;

export const cloudWatchStartNotBeforeEnd = () => 'The parameter StartTime must be less than the parameter EndTime.';

export const cloudWatchStartEqualsEnd = () => 'The parameter StartTime must not equal parameter EndTime.';

export const cloudWatchEndBeforeStart = () => 'The parameter EndTime must be greater than StartTime.';

export const cloudWatchPeriodNotMultipleOf60 = (path: string) => `The parameter ${path} must be a multiple of 60.`;

export const cloudWatchTooManyDatapoints = (requested: number, limit: number) =>
  `You have requested up to ${requested} datapoints, which exceeds the limit of ${limit}. ` +
  'You may reduce the datapoints requested by increasing Period, or decreasing the time range.';

export const cloudWatchStatisticsOrExtended = () => 'Must specify either Statistics or ExtendedStatistics';

export const cloudWatchStatisticsAndExtended = () => 'Must specify either Statistics or ExtendedStatistics, but not both';

export const cloudWatchUnsupportedValue = (value: string, path: string) => `The value ${value} for parameter ${path} is not supported.`;

export const cloudWatchInvalidQueryId = (id: string, index: number) =>
  `The value ${id} for parameter MetricDataQueries.member.${index}.Id is invalid: it must start with a lowercase letter ` +
  'and contain only letters, numbers and underscores.';

export const cloudWatchDuplicateQueryId = (id: string, index: number) =>
  `The value ${id} for parameter MetricDataQueries.member.${index}.Id is not unique.`;

export const cloudWatchMetricStatAndExpression = (index: number) =>
  `The parameters MetricDataQueries.member.${index}.MetricStat and MetricDataQueries.member.${index}.Expression are mutually exclusive and you have specified both.`;

/** Riffle's own: no metric math or Metrics Insights. */
export const cloudWatchExpressionUnsupported = (index: number) =>
  `Riffle does not evaluate metric math or Metrics Insights queries (MetricDataQueries.member.${index}.Expression); ` +
  'ask for each metric with MetricStat instead.';

/** GetMetricData's Messages entry past 500 queries (the model's documentation of GetMetricDataOutput.Messages). */
export const cloudWatchTooManyMetrics = () => 'Maximum number of allowed metrics exceeded';

/** The InvalidNextToken shape's documentation in the model. */
export const cloudWatchInvalidNextToken = () => 'The next token specified is invalid.';

/** A query-protocol value that does not read as its member's type. */
export const cloudWatchMalformedValue = (value: string, path: string) => `Value (${value}) for parameter ${path} is invalid.`;

// IAM's wording (as accessDeniedNoIdentityPolicy) for CloudWatch's actions, whose resource is always `*`.
export const cloudWatchAccessDenied = (principal: string, action: string) =>
  `User: ${principal} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;

export const cloudWatchAccessDeniedExplicitDeny = (principal: string, action: string) =>
  `User: ${principal} is not authorized to perform: ${action} with an explicit deny in an identity-based policy`;
