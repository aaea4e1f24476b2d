import type { OperationHandler } from '../operation-handler.js';
import type { DescribeAccountSettingsOutput } from '../generated/kinesis/types.js';
import { toBillingCommitment } from '../streams/billing-commitment.js';

export const describeAccountSettings: OperationHandler<unknown, DescribeAccountSettingsOutput> = async (_input, { engine }) => ({
  MinimumThroughputBillingCommitment: toBillingCommitment(engine.describeAccountSettings()),
});
