import type { HostedResourceType } from './hosted-resource.js';
import { kinesisStreamResource } from './kinesis-stream-resource.js';
import { resourcePolicyResource } from './resource-policy-resource.js';
import { streamConsumerResource } from './stream-consumer-resource.js';

/** The resource types `riffle deploy` creates; every other type in a template is listed as skipped. */
export const HOSTED_RESOURCE_TYPES: ReadonlyMap<string, HostedResourceType> = new Map(
  [kinesisStreamResource, streamConsumerResource, resourcePolicyResource].map((type) => [type.type, type]),
);
