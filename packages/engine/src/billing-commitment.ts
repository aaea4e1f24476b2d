import { KINESIS_LIMITS } from './kinesis-limits.js';

export type BillingCommitmentStatus = 'ENABLED' | 'DISABLED' | 'ENABLED_UNTIL_EARLIEST_ALLOWED_END';

/** The account's MinimumThroughputBillingCommitment (On-demand Advantage); times are epoch ms. */
export interface BillingCommitment {
  readonly status: BillingCommitmentStatus;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly earliestAllowedEndAt?: number;
}

export const NO_BILLING_COMMITMENT: BillingCommitment = { status: 'DISABLED' };

/** The commitment as it stands at `now`: one set to end ends by itself at its earliest end. */
export function billingCommitmentAt(commitment: BillingCommitment, now: number): BillingCommitment {
  if (commitment.status === 'ENABLED_UNTIL_EARLIEST_ALLOWED_END' && now >= (commitment.earliestAllowedEndAt ?? 0)) {
    return { ...commitment, status: 'DISABLED', endedAt: commitment.earliestAllowedEndAt };
  }
  return commitment;
}

/**
 * UpdateAccountSettings (API reference, MinimumThroughputBillingCommitmentInput): a commitment lasts at least
 * 24 hours; disabling it sooner leaves it ENABLED_UNTIL_EARLIEST_ALLOWED_END, and enabling it again before then
 * keeps the original one.
 */
export function updatedBillingCommitment(current: BillingCommitment, status: 'ENABLED' | 'DISABLED', now: number): BillingCommitment {
  if (status === 'ENABLED') {
    return current.status === 'DISABLED'
      ? { status: 'ENABLED', startedAt: now, earliestAllowedEndAt: now + KINESIS_LIMITS.billingCommitmentMinimumMs }
      : { status: 'ENABLED', startedAt: current.startedAt, earliestAllowedEndAt: current.earliestAllowedEndAt };
  }
  if (current.status === 'DISABLED') return current;
  if (now < (current.earliestAllowedEndAt ?? 0)) return { ...current, status: 'ENABLED_UNTIL_EARLIEST_ALLOWED_END' };
  return { ...current, status: 'DISABLED', endedAt: now };
}
