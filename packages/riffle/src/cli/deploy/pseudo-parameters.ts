import { createHash } from 'node:crypto';
import { NO_VALUE, type Evaluated } from './template-value.js';

export interface StackIdentity {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
}

export const partitionOf = (region: string): string => (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

/**
 * A stack id shaped as CloudFormation's (`arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/UUID`), the UUID derived
 * from where the stack lives and its name, so that the same stack keeps the same id on every deploy.
 */
export function stackIdOf(identity: StackIdentity, target: string): string {
  const hex = createHash('sha256').update(`${target}\n${identity.stackName}`).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return `arn:${partitionOf(identity.region)}:cloudformation:${identity.region}:${identity.accountId}:stack/${identity.stackName}/${uuid}`;
}

/** CloudFormation's pseudo parameters for a stack. */
export function pseudoParameters(identity: StackIdentity, stackId: string): Map<string, Evaluated> {
  return new Map<string, Evaluated>([
    ['AWS::Region', identity.region],
    ['AWS::AccountId', identity.accountId],
    ['AWS::StackName', identity.stackName],
    ['AWS::StackId', stackId],
    ['AWS::Partition', partitionOf(identity.region)],
    ['AWS::URLSuffix', identity.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'],
    ['AWS::NotificationARNs', []],
    ['AWS::NoValue', NO_VALUE],
  ]);
}
