import type { BillingCommitment } from '@riffle/engine';
import type { MinimumThroughputBillingCommitmentOutput } from '../generated/kinesis/types.js';

export function toBillingCommitment(commitment: BillingCommitment): MinimumThroughputBillingCommitmentOutput {
  const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
  return {
    Status: commitment.status,
    StartedAt: date(commitment.startedAt),
    EndedAt: date(commitment.endedAt),
    EarliestAllowedEndAt: date(commitment.earliestAllowedEndAt),
  };
}
