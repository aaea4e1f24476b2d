import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { PropertySchema } from './property-schema.js';
import type { TemplateValue } from './template-value.js';
import type { Waiter } from './waiter.js';

/** What the stack state keeps of one resource: enough to update, replace or delete it later. */
export interface ResourceRecord {
  readonly type: string;
  readonly physicalId: string;
  /** The resolved properties last applied. */
  readonly properties: Readonly<Record<string, TemplateValue>>;
  /** Fn::GetAtt values. */
  readonly attributes: Readonly<Record<string, TemplateValue>>;
}

export interface ResourceContext {
  readonly client: KinesisClient;
  readonly stackName: string;
  readonly logicalId: string;
  readonly waiter: Waiter;
}

export interface PredictionContext {
  readonly stackName: string;
  readonly logicalId: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
}

export interface Created {
  readonly physicalId: string;
  readonly attributes: Record<string, TemplateValue>;
}

/** A resource type Riffle hosts, as its CloudFormation resource provider behaves. */
export interface HostedResourceType {
  readonly type: string;
  readonly schema: Extract<PropertySchema, { type: 'object' }>;
  /** Fn::GetAtt attribute names, as the CloudFormation template reference lists them. */
  readonly attributes: readonly string[];
  /** Properties whose change replaces the resource (the schema's createOnlyProperties). */
  readonly createOnly: readonly string[];
  /**
   * The physical id and attributes the resource will have, as far as they can be known before it exists (a
   * consumer's ARN carries its creation time): to check a template before any change, and for --dry-run.
   */
  predict(properties: Readonly<Record<string, TemplateValue>>, where: PredictionContext, previous: ResourceRecord | undefined): Created;
  /** What `Ref` returns. */
  ref(record: ResourceRecord): TemplateValue;
  create(context: ResourceContext, properties: Readonly<Record<string, TemplateValue>>): Promise<Created>;
  /** Applies the changes from the record's properties to the new ones, returns the new attributes. */
  update(context: ResourceContext, record: ResourceRecord, properties: Readonly<Record<string, TemplateValue>>): Promise<Record<string, TemplateValue>>;
  delete(context: ResourceContext, record: ResourceRecord): Promise<void>;
  /** Whether the resource is still there (a wiped server loses what a stack created). */
  exists(context: ResourceContext, record: ResourceRecord): Promise<boolean>;
}

/** CloudFormation's failure when a resource with that identifier exists outside the stack. */
export class AlreadyExistsError extends Error {
  constructor(type: string, identifier: string) {
    super(`Resource of type '${type}' with identifier '${identifier}' already exists.`);
    this.name = 'AlreadyExistsError';
  }
}

export const errorName = (error: unknown): string | undefined => (error as { name?: string } | null)?.name;
