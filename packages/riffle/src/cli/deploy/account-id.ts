import { DescribeStreamSummaryCommand, ListStreamsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

/** Riffle's (and Kinesis Local's) account when nothing tells otherwise. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/**
 * The account the target's streams belong to, for AWS::AccountId: from a stream ARN that ListStreams shows, else
 * from the not-found message of a stream that cannot exist ("Stream x under account 123456789012 not found.").
 */
export async function discoverAccountId(client: KinesisClient): Promise<string> {
  try {
    const listed = await client.send(new ListStreamsCommand({ Limit: 1 }));
    const arn = listed.StreamSummaries?.[0]?.StreamARN;
    const fromArn = arn === undefined ? undefined : /^arn:[^:]+:kinesis:[^:]*:(\d{12}):/.exec(arn)?.[1];
    if (fromArn) return fromArn;
  } catch {
    // the next way may still work
  }
  try {
    await client.send(new DescribeStreamSummaryCommand({ StreamName: 'riffle-deploy-account-probe-that-does-not-exist' }));
  } catch (error) {
    const fromMessage = /account (\d{12})/.exec((error as Error).message ?? '')?.[1];
    if (fromMessage) return fromMessage;
  }
  return LOCAL_ACCOUNT_ID;
}
