import type { OperationHandler } from '../operation-handler.js';
import type { UpdateAccountSettingsInput, UpdateAccountSettingsOutput } from '../generated/kinesis/types.js';
import { withEngineErrors } from '../errors/engine-error-to-service-error.js';
import { toBillingCommitment } from '../streams/billing-commitment.js';

export const updateAccountSettings: OperationHandler<UpdateAccountSettingsInput, UpdateAccountSettingsOutput> = async (
  input,
  { engine },
) => {
  const status = input.MinimumThroughputBillingCommitment.Status;
  const commitment = await withEngineErrors(engine, () => engine.updateAccountSettings(status));
  return { MinimumThroughputBillingCommitment: toBillingCommitment(commitment) };
};
