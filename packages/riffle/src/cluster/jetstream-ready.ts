/**
 * Whether a nats-server is ready for Riffle, asked on its monitoring port: /healthz answers 200 once its
 * JetStream is up, and in a cluster /jsz must also name a meta leader (streams cannot be placed before).
 */
export async function jetStreamReady(monitorUrl: string, clustered: boolean): Promise<boolean> {
  try {
    const health = await fetch(`${monitorUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
    await health.body?.cancel();
    if (!health.ok) return false;
    if (!clustered) return true;
    const jsz = await fetch(`${monitorUrl}/jsz`, { signal: AbortSignal.timeout(2_000) });
    if (!jsz.ok) return false;
    const body = (await jsz.json()) as { meta_cluster?: { leader?: string } };
    return Boolean(body.meta_cluster?.leader);
  } catch {
    return false;
  }
}
