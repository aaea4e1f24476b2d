/**
 * The client's IP address as AWS reports it (aws:SourceIp, CloudTrail's sourceIPAddress): Node gives the IPv4
 * peers of a dual-stack socket as `::ffff:a.b.c.d`, which is the IPv4 address a.b.c.d.
 */
export function clientAddress(remoteAddress: string | undefined): string | undefined {
  return remoteAddress?.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice('::ffff:'.length) : remoteAddress;
}
