import type { Engine } from '@riffle/engine';

/**
 * The accounts one server hosts, each with an engine of its own (its own streams, quotas and rates), so that
 * two accounts never see each other's resources. The primary account is `--account-id`: every caller's account
 * when signatures are not verified.
 */
export interface AccountEngines {
  readonly primary: Engine;
  /** The engine of a hosted account (opened on first use); undefined for an account this server does not host. */
  engineOf(accountId: string): Engine | Promise<Engine> | undefined;
}

/** One account: the primary engine alone. */
export function singleAccount(engine: Engine): AccountEngines {
  const accountId = engine.config.accountId;
  return { primary: engine, engineOf: (id) => (id === accountId ? engine : undefined) };
}
