/**
 * One nats-server's configuration file: JetStream on, a monitoring port, and optionally a cluster (routes),
 * client TLS and client authorization. `riffle cluster` and the test harness (packages/testkit) both write
 * theirs with it, so the two never drift apart.
 */
export interface NatsServerSpec {
  /** server_name: JetStream needs one per node, stable across restarts. */
  readonly name: string;
  readonly host: string;
  readonly clientPort: number;
  /** The HTTP monitoring port (/healthz, /jsz). */
  readonly monitorPort: number;
  readonly storeDir: string;
  /** Bytes; the server's default is 1 MiB. */
  readonly maxPayload?: number;
  /** Routes to the other nodes (this node's own route URL may be in the list: nats-server skips it). */
  readonly cluster?: { readonly name: string; readonly port: number; readonly routes: readonly string[] };
  /** TLS for client connections (routes stay as the cluster block says); `verify` demands a client certificate. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly caFile?: string; readonly verify?: boolean };
  /** Clients must present one of these user/password pairs, or the token. */
  readonly authorization?: { readonly users?: readonly { readonly user: string; readonly password: string }[]; readonly token?: string };
  /**
   * Decentralised (JWT) authentication: the operator's JWT, the system account, and the account JWTs the server
   * trusts (a memory resolver preloaded with them). Clients connect with a user's .creds file.
   */
  readonly operator?: { readonly jwt: string; readonly systemAccount: string; readonly accounts: Readonly<Record<string, string>> };
}

/** nats-server's config format accepts JSON strings, which quote paths and secrets safely. */
const quoted = (value: string) => JSON.stringify(value);

export function natsServerConfig(spec: NatsServerSpec): string {
  const lines = [
    `server_name: ${quoted(spec.name)}`,
    `listen: ${quoted(`${spec.host}:${spec.clientPort}`)}`,
    `http: ${quoted(`${spec.host}:${spec.monitorPort}`)}`,
    `jetstream { store_dir: ${quoted(spec.storeDir)} }`,
  ];
  if (spec.maxPayload !== undefined) lines.push(`max_payload: ${spec.maxPayload}`);
  if (spec.cluster) {
    const routes = spec.cluster.routes.map(quoted).join(', ');
    lines.push(`cluster { name: ${quoted(spec.cluster.name)}, listen: ${quoted(`${spec.host}:${spec.cluster.port}`)}, routes: [${routes}] }`);
  }
  if (spec.tls) {
    const tls = [`cert_file: ${quoted(spec.tls.certFile)}`, `key_file: ${quoted(spec.tls.keyFile)}`];
    if (spec.tls.caFile !== undefined) tls.push(`ca_file: ${quoted(spec.tls.caFile)}`);
    if (spec.tls.verify) tls.push('verify: true');
    lines.push(`tls { ${tls.join(', ')} }`);
  }
  if (spec.authorization) {
    const entries: string[] = [];
    if (spec.authorization.users) {
      const users = spec.authorization.users.map((u) => `{ user: ${quoted(u.user)}, password: ${quoted(u.password)} }`);
      entries.push(`users: [${users.join(', ')}]`);
    }
    if (spec.authorization.token !== undefined) entries.push(`token: ${quoted(spec.authorization.token)}`);
    lines.push(`authorization { ${entries.join(', ')} }`);
  }
  if (spec.operator) {
    const preload = Object.entries(spec.operator.accounts).map(([account, jwt]) => `${account}: ${quoted(jwt)}`);
    lines.push(`operator: ${quoted(spec.operator.jwt)}`, `system_account: ${spec.operator.systemAccount}`, 'resolver: MEMORY', `resolver_preload: { ${preload.join(', ')} }`);
  }
  return lines.join('\n') + '\n';
}
