import { kinesisArnScope } from '../authorization/kinesis-resource-arn.js';

/** The members that name a resource by ARN, in the order AWS's operations take them. */
const ARN_MEMBERS = ['ResourceARN', 'ConsumerARN', 'StreamARN'] as const;

/**
 * The account owning the resource a request names by ARN, if it names one. A call naming resources only by
 * StreamName or ConsumerName is about the caller's own account.
 */
export function targetAccountOf(input: Readonly<Record<string, unknown>>): string | undefined {
  for (const member of ARN_MEMBERS) {
    const arn = input[member];
    if (typeof arn !== 'string') continue;
    const account = kinesisArnScope(arn)?.account;
    if (account !== undefined) return account;
  }
  return undefined;
}
