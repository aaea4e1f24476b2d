/**
 * The one line `riffle serve` prints when it cannot open its JetStream store: the servers, the client's reason,
 * and for the reasons that do not say what to change, a hint. Never the credentials: the client's errors carry none.
 */
export function natsConnectFailure(servers: readonly string[], error: Error): string {
  const reason = (error.message || String(error)).split('\n')[0]!;
  return `cannot open the NATS JetStream store at ${servers.join(',')}: ${reason}${hintFor(error, reason)}`;
}

function hintFor(error: Error, reason: string): string {
  if (/authorization violation|authentication/i.test(reason)) return ' (check --nats-user with RIFFLE_NATS_PASSWORD, RIFFLE_NATS_TOKEN or --nats-creds)';
  if (/certificate|self.signed|CERT_/i.test(`${reason} ${(error as { code?: string }).code ?? ''}`)) return ' (TLS: --nats-tls-ca names the CA that signed the servers\' certificates)';
  // nats.js gives up after its 20 s connect timeout; a server demanding a client certificate also ends that way.
  if (error.name === 'TimeoutError' || /^timeout$/i.test(reason)) return ' (no server answered in time: are they up and reachable? a server that demands a client certificate needs --nats-tls-cert and --nats-tls-key)';
  return '';
}
