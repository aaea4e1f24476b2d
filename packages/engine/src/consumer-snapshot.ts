import type { ConsumerRecord } from '@riffle/storage';

export type ConsumerStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

/** A read-only view of one registered consumer. */
export interface ConsumerSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly status: ConsumerStatus;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly streamName: string;
  readonly streamArn: string;
}

/** `<stream ARN>/consumer/<name>:<creation time in epoch seconds>` (developer guide, enhanced fan-out). */
export function consumerArnOf(streamArn: string, consumer: Pick<ConsumerRecord, 'name' | 'createdAt'>): string {
  return `${streamArn}/consumer/${consumer.name}:${Math.floor(consumer.createdAt / 1000)}`;
}

export function consumerSnapshotOf(consumer: ConsumerRecord, streamName: string, streamArn: string): ConsumerSnapshot {
  return {
    name: consumer.name,
    arn: consumerArnOf(streamArn, consumer),
    status: consumer.status,
    createdAt: consumer.createdAt,
    streamName,
    streamArn,
  };
}
