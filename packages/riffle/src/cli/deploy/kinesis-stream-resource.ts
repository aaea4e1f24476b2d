import {
  AddTagsToStreamCommand, CreateStreamCommand, DecreaseStreamRetentionPeriodCommand, DeleteStreamCommand,
  DescribeStreamSummaryCommand, DisableEnhancedMonitoringCommand, EnableEnhancedMonitoringCommand,
  IncreaseStreamRetentionPeriodCommand, RemoveTagsFromStreamCommand, StartStreamEncryptionCommand,
  StopStreamEncryptionCommand, UpdateMaxRecordSizeCommand, UpdateShardCountCommand, UpdateStreamModeCommand,
  UpdateStreamRecordDistributionStrategyCommand, UpdateStreamWarmThroughputCommand,
  type MetricsName, type RecordDistributionStrategy, type StreamDescriptionSummary, type StreamMode,
} from '@aws-sdk/client-kinesis';
import { AlreadyExistsError, errorName, type HostedResourceType, type ResourceContext, type ResourceRecord } from './hosted-resource.js';
import { generatedPhysicalName } from './physical-name.js';
import type { PropertySchema } from './property-schema.js';
import { tagMap, type TagProperty } from './resource-tags.js';

const METRICS = ['IncomingBytes', 'IncomingRecords', 'OutgoingBytes', 'OutgoingRecords', 'WriteProvisionedThroughputExceeded', 'ReadProvisionedThroughputExceeded', 'IteratorAgeMilliseconds', 'ALL'];
export const tagsSchema: PropertySchema = {
  type: 'array', maxItems: 50,
  items: { type: 'object', required: ['Key', 'Value'], properties: { Key: { type: 'string', minLength: 1, maxLength: 128 }, Value: { type: 'string', minLength: 0, maxLength: 255 } } },
};

interface StreamProperties {
  Name?: string;
  ShardCount?: number;
  RetentionPeriodHours?: number;
  StreamModeDetails?: { StreamMode: StreamMode };
  StreamEncryption?: { EncryptionType: 'KMS'; KeyId: string };
  Tags?: TagProperty[];
  DesiredShardLevelMetrics?: MetricsName[];
  MaxRecordSizeInKiB?: number;
  WarmThroughputMiBps?: number;
  RecordDistributionStrategy?: RecordDistributionStrategy;
}

const DEFAULT_RETENTION_HOURS = 24;
const DEFAULT_MAX_RECORD_KIB = 1024;
const ALL_METRICS = METRICS.filter((m) => m !== 'ALL');

const modeOf = (properties: StreamProperties): StreamMode => properties.StreamModeDetails?.StreamMode ?? 'PROVISIONED';
const metricsOf = (properties: StreamProperties): Set<string> => new Set((properties.DesiredShardLevelMetrics ?? []).flatMap((m) => (m === 'ALL' ? ALL_METRICS : [m])));

async function summary(context: ResourceContext, name: string): Promise<StreamDescriptionSummary | undefined> {
  try {
    return (await context.client.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function waitActive(context: ResourceContext, name: string): Promise<StreamDescriptionSummary> {
  let last: StreamDescriptionSummary | undefined;
  await context.waiter.until(`stream ${name} to become ACTIVE`, async () => {
    last = await summary(context, name);
    return last?.StreamStatus === 'ACTIVE';
  });
  return last!;
}

/**
 * AWS::Kinesis::Stream (CloudFormation template reference; RecordDistributionStrategy as aws-cdk-lib 2.273's
 * CfnStream has it, mapped to CreateStream's member and UpdateStreamRecordDistributionStrategy).
 * Ref is the stream name; Fn::GetAtt Arn.
 */
export const kinesisStreamResource: HostedResourceType = {
  type: 'AWS::Kinesis::Stream',
  schema: {
    type: 'object',
    properties: {
      Name: { type: 'string', minLength: 1, maxLength: 128, pattern: /^[a-zA-Z0-9_.-]+$/ },
      ShardCount: { type: 'integer', minimum: 1, maximum: 100000 },
      RetentionPeriodHours: { type: 'integer', minimum: 1, maximum: 8760 },
      StreamModeDetails: { type: 'object', required: ['StreamMode'], properties: { StreamMode: { type: 'string', enum: ['ON_DEMAND', 'PROVISIONED'] } } },
      StreamEncryption: { type: 'object', required: ['EncryptionType', 'KeyId'], properties: { EncryptionType: { type: 'string', enum: ['KMS'] }, KeyId: { type: 'string', minLength: 1, maxLength: 2048 } } },
      Tags: tagsSchema,
      DesiredShardLevelMetrics: { type: 'array', maxItems: 7, uniqueItems: true, items: { type: 'string', enum: METRICS } },
      MaxRecordSizeInKiB: { type: 'integer', minimum: 1024, maximum: 10240 },
      WarmThroughputMiBps: { type: 'integer', minimum: 0 },
      RecordDistributionStrategy: { type: 'string', enum: ['AUTO', 'USER_PARTITION_KEY'] },
    },
  },
  attributes: ['Arn'],
  createOnly: ['Name'],
  ref: (record) => record.physicalId,

  predict(properties, where, previous) {
    const sameName = previous !== undefined && previous.properties.Name === properties.Name;
    const name = (properties.Name as string | undefined) ?? (sameName ? previous.physicalId : `${where.stackName}-${where.logicalId}-(generated)`);
    return { physicalId: name, attributes: { Arn: `arn:${where.partition}:kinesis:${where.region}:${where.accountId}:stream/${name}` } };
  },

  async create(context, raw) {
    const properties = raw as unknown as StreamProperties;
    const name = properties.Name ?? generatedPhysicalName(context.stackName, context.logicalId);
    const mode = modeOf(properties);
    try {
      await context.client.send(new CreateStreamCommand({
        StreamName: name,
        ...(properties.ShardCount !== undefined ? { ShardCount: properties.ShardCount } : {}),
        StreamModeDetails: { StreamMode: mode },
        ...(properties.Tags?.length ? { Tags: tagMap(properties.Tags) } : {}),
        ...(properties.MaxRecordSizeInKiB !== undefined ? { MaxRecordSizeInKiB: properties.MaxRecordSizeInKiB } : {}),
        ...(properties.WarmThroughputMiBps !== undefined ? { WarmThroughputMiBps: properties.WarmThroughputMiBps } : {}),
        ...(properties.RecordDistributionStrategy !== undefined ? { RecordDistributionStrategy: properties.RecordDistributionStrategy } : {}),
      }));
    } catch (error) {
      if (errorName(error) === 'ResourceInUseException') throw new AlreadyExistsError('AWS::Kinesis::Stream', name);
      throw error;
    }
    try {
      const created = await waitActive(context, name);
      const record: ResourceRecord = { type: this.type, physicalId: name, properties: {}, attributes: { Arn: created.StreamARN! } };
      // What CreateStream cannot set, as the resource provider does it: retention, encryption, enhanced monitoring.
      await applyChanges(context, record, { StreamModeDetails: { StreamMode: mode }, ...(properties.ShardCount !== undefined ? { ShardCount: properties.ShardCount } : {}), ...pick(properties, ['Tags', 'MaxRecordSizeInKiB', 'WarmThroughputMiBps', 'RecordDistributionStrategy']) }, properties);
      return { physicalId: name, attributes: { Arn: created.StreamARN! } };
    } catch (error) {
      // The stream exists but its create failed (a retention Kinesis refuses, a KMS key it cannot use): a failed
      // create leaves nothing behind, as CloudFormation's rollback deletes it. The create's error is the one told.
      await this.delete(context, { type: this.type, physicalId: name, properties: {}, attributes: {} }).catch(() => undefined);
      throw error;
    }
  },

  async update(context, record, raw) {
    const before = await observed(context, record.physicalId, record.properties as unknown as StreamProperties);
    await applyChanges(context, record, before, raw as unknown as StreamProperties);
    return { ...record.attributes };
  },

  async delete(context, record) {
    try {
      await context.client.send(new DeleteStreamCommand({ StreamName: record.physicalId, EnforceConsumerDeletion: true }));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return;
      throw error;
    }
    await context.waiter.until(`stream ${record.physicalId} to be deleted`, async () => (await summary(context, record.physicalId)) === undefined);
  },

  async exists(context, record) {
    const found = await summary(context, record.physicalId);
    return found !== undefined && found.StreamStatus !== 'DELETING';
  },
};

/**
 * The recorded properties, corrected by what the server reports now (mode, open shards, retention, encryption,
 * enhanced monitoring, record size limit): an update, and the rollback of one that failed half-way, starts from
 * the stream as it is, not as the state last recorded it.
 */
async function observed(context: ResourceContext, name: string, recorded: StreamProperties): Promise<StreamProperties> {
  const now = await waitActive(context, name);
  const encrypted = now.EncryptionType === 'KMS' && now.KeyId !== undefined;
  return {
    ...recorded,
    ...(now.StreamModeDetails?.StreamMode !== undefined ? { StreamModeDetails: { StreamMode: now.StreamModeDetails.StreamMode } } : {}),
    ...(now.OpenShardCount !== undefined ? { ShardCount: now.OpenShardCount } : {}),
    ...(now.RetentionPeriodHours !== undefined ? { RetentionPeriodHours: now.RetentionPeriodHours } : {}),
    StreamEncryption: encrypted ? (recorded.StreamEncryption ?? { EncryptionType: 'KMS', KeyId: now.KeyId! }) : undefined,
    ...(now.EnhancedMonitoring !== undefined ? { DesiredShardLevelMetrics: now.EnhancedMonitoring.flatMap((m) => m.ShardLevelMetrics ?? []) as MetricsName[] } : {}),
    ...(now.MaxRecordSizeInKiB !== undefined ? { MaxRecordSizeInKiB: now.MaxRecordSizeInKiB } : {}),
  };
}

function pick(properties: StreamProperties, keys: readonly (keyof StreamProperties)[]): Partial<StreamProperties> {
  return Object.fromEntries(keys.filter((key) => properties[key] !== undefined).map((key) => [key, properties[key]]));
}

/** The minimal calls from `before` to `after`, each waited for until the stream is ACTIVE again. */
async function applyChanges(context: ResourceContext, record: ResourceRecord, before: StreamProperties, after: StreamProperties): Promise<void> {
  const name = record.physicalId;
  const arn = record.attributes.Arn as string;
  const send = async (call: () => Promise<unknown>): Promise<void> => {
    await call();
    await waitActive(context, name);
  };
  const [oldMode, newMode] = [modeOf(before), modeOf(after)];
  if (oldMode !== newMode) {
    await send(() => context.client.send(new UpdateStreamModeCommand({
      StreamARN: arn, StreamModeDetails: { StreamMode: newMode },
      ...(newMode === 'ON_DEMAND' && after.WarmThroughputMiBps !== undefined ? { WarmThroughputMiBps: after.WarmThroughputMiBps } : {}),
    })));
  }
  if (newMode === 'PROVISIONED' && after.ShardCount !== undefined) {
    const current = oldMode === newMode && before.ShardCount !== undefined ? before.ShardCount : (await waitActive(context, name)).OpenShardCount;
    if (current !== after.ShardCount) await send(() => context.client.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: after.ShardCount, ScalingType: 'UNIFORM_SCALING' })));
  }
  const [oldRetention, newRetention] = [before.RetentionPeriodHours ?? DEFAULT_RETENTION_HOURS, after.RetentionPeriodHours ?? DEFAULT_RETENTION_HOURS];
  if (newRetention > oldRetention) await send(() => context.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: newRetention })));
  if (newRetention < oldRetention) await send(() => context.client.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: newRetention })));

  if (JSON.stringify(before.StreamEncryption) !== JSON.stringify(after.StreamEncryption)) {
    const [start, stop] = [after.StreamEncryption, before.StreamEncryption];
    if (start) await send(() => context.client.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: start.KeyId })));
    else if (stop) await send(() => context.client.send(new StopStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: stop.KeyId })));
  }

  const [oldTags, newTags] = [tagMap(before.Tags ?? []), tagMap(after.Tags ?? [])];
  const removed = Object.keys(oldTags).filter((key) => !(key in newTags));
  const changed = Object.fromEntries(Object.entries(newTags).filter(([key, value]) => oldTags[key] !== value));
  if (removed.length > 0) await context.client.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: removed }));
  if (Object.keys(changed).length > 0) await context.client.send(new AddTagsToStreamCommand({ StreamName: name, Tags: changed }));

  const [oldMetrics, newMetrics] = [metricsOf(before), metricsOf(after)];
  const disable = [...oldMetrics].filter((m) => !newMetrics.has(m)) as MetricsName[];
  const enable = [...newMetrics].filter((m) => !oldMetrics.has(m)) as MetricsName[];
  if (disable.length > 0) await send(() => context.client.send(new DisableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: disable })));
  if (enable.length > 0) await send(() => context.client.send(new EnableEnhancedMonitoringCommand({ StreamName: name, ShardLevelMetrics: enable })));

  const [oldSize, newSize] = [before.MaxRecordSizeInKiB ?? DEFAULT_MAX_RECORD_KIB, after.MaxRecordSizeInKiB ?? DEFAULT_MAX_RECORD_KIB];
  if (oldSize !== newSize) await send(() => context.client.send(new UpdateMaxRecordSizeCommand({ StreamARN: arn, MaxRecordSizeInKiB: newSize })));

  if (newMode === 'ON_DEMAND') {
    const modeSetWarm = oldMode !== newMode && after.WarmThroughputMiBps !== undefined;
    const [oldWarm, newWarm] = [oldMode === newMode ? (before.WarmThroughputMiBps ?? 0) : 0, after.WarmThroughputMiBps ?? 0];
    if (!modeSetWarm && oldWarm !== newWarm) await send(() => context.client.send(new UpdateStreamWarmThroughputCommand({ StreamARN: arn, WarmThroughputMiBps: newWarm })));
    const [oldStrategy, newStrategy] = [oldMode === newMode ? (before.RecordDistributionStrategy ?? 'USER_PARTITION_KEY') : 'USER_PARTITION_KEY', after.RecordDistributionStrategy ?? 'USER_PARTITION_KEY'];
    if (oldStrategy !== newStrategy) await send(() => context.client.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: arn, RecordDistributionStrategy: newStrategy })));
  }
}

