import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount, createOperator, createUser, encodeAccount, encodeOperator, encodeUser, fmtCreds } from '@nats-io/jwt';

/** Decentralised NATS auth for a test server: an operator, a system account, an account with JetStream, a user. */
export interface NatsTestOperator {
  /** For the server's config: the operator JWT, the system account and the account JWTs to preload. */
  readonly server: { readonly jwt: string; readonly systemAccount: string; readonly accounts: Readonly<Record<string, string>> };
  /** The user's .creds file (JWT and NKey seed), as `nsc` writes it. */
  readonly credsFile: string;
  /** The user's NKey seed, which must never appear in a log. */
  readonly userSeed: string;
}

/** No limit on anything: the test is about authentication, not quotas. */
const UNLIMITED = {
  subs: -1, data: -1, payload: -1, conn: -1, leaf: -1, imports: -1, exports: -1, wildcards: true,
  mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1,
};

export async function makeNatsTestOperator(dir: string): Promise<NatsTestOperator> {
  const operator = createOperator();
  const system = createAccount();
  const account = createAccount();
  const user = createUser();
  const systemJwt = await encodeAccount('SYS', system, {}, { signer: operator });
  const accountJwt = await encodeAccount('riffle', account, { limits: UNLIMITED }, { signer: operator });
  const operatorJwt = await encodeOperator('riffle-test', operator, { system_account: system.getPublicKey() });
  const userJwt = await encodeUser('riffle', user, account);
  const credsFile = join(dir, 'riffle.creds');
  writeFileSync(credsFile, fmtCreds(userJwt, user), { mode: 0o600 });
  return {
    server: { jwt: operatorJwt, systemAccount: system.getPublicKey(), accounts: { [system.getPublicKey()]: systemJwt, [account.getPublicKey()]: accountJwt } },
    credsFile,
    userSeed: new TextDecoder().decode(user.getSeed()),
  };
}
