/** What an injected fault answers: throttling (the operation's throttling error) or InternalFailure (HTTP 500). */
export type FaultKind = 'throttle' | 'internal';

/** The share (0..1) of an operation's calls answered with each fault; together at most 1. */
export type FaultShares = Readonly<Record<FaultKind, number>>;

/** `--fault-injection` and `--fault-seed`, parsed. */
export interface FaultPlan {
  /** Shares by operation name (`PutRecords`); `*` for every operation not named. */
  readonly rules: Readonly<Record<string, FaultShares>>;
  /** Seeds each operation's own sequence of draws, so a run can be repeated. */
  readonly seed: number;
}
