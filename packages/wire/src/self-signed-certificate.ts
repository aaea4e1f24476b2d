import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CertificatePair {
  readonly key: string;
  readonly cert: string;
}

/** Long enough to forget about, short enough for clients that cap certificate lifetimes (825 days). */
const VALIDITY_DAYS = 825;
/** Regenerate a stored certificate that expires within this margin. */
const RENEWAL_MARGIN_MS = 24 * 60 * 60 * 1000;

/**
 * A self-signed certificate for localhost, 127.0.0.1 and ::1, generated once into `<dir>/tls/` and reused
 * until it nears expiry. Clients must skip verification or trust `cert.pem` explicitly.
 */
export async function ensureSelfSignedCertificate(dir: string, now: () => Date = () => new Date()): Promise<CertificatePair> {
  const tlsDir = join(dir, 'tls');
  const keyPath = join(tlsDir, 'key.pem');
  const certPath = join(tlsDir, 'cert.pem');
  const existing = await readPair(keyPath, certPath);
  if (existing && stillValid(existing.cert, now())) return existing;

  const notBeforeDate = now();
  const notAfterDate = new Date(notBeforeDate.getTime() + VALIDITY_DAYS * 24 * 60 * 60 * 1000);
  // Loaded on demand: the X.509 stack behind `selfsigned` added ~190 ms to every start, TLS or not.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  await mkdir(tlsDir, { recursive: true, mode: 0o700 });
  // Write-then-rename so a concurrent reader never sees half a file.
  const suffix = `.${process.pid}.tmp`;
  await writeFile(keyPath + suffix, pems.private, { mode: 0o600 });
  await writeFile(certPath + suffix, pems.cert, { mode: 0o644 });
  await rename(keyPath + suffix, keyPath);
  await rename(certPath + suffix, certPath);
  return { key: pems.private, cert: pems.cert };
}

async function readPair(keyPath: string, certPath: string): Promise<CertificatePair | undefined> {
  try {
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    return { key, cert };
  } catch {
    return undefined;
  }
}

function stillValid(cert: string, now: Date): boolean {
  try {
    const validTo = Date.parse(new X509Certificate(cert).validTo);
    return validTo - RENEWAL_MARGIN_MS > now.getTime();
  } catch {
    return false;
  }
}
