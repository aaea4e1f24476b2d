/** arn:<partition>:kinesis:<region>:<account>:... */
const kinesisArnAccount = /^arn:aws[a-z-]*:kinesis:[^:]*:(\d{12}):/;

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
    const match = kinesisArnAccount.exec(arn);
    if (match) return match[1];
  }
  return undefined;
}
