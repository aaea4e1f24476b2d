import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { connect as tlsConnect } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { ensureSelfSignedCertificate, type CertificatePair } from '@riffle/wire';
import { startRiffle, type RiffleProcess } from '@riffle/testkit';

/** The certificate a fresh TLS client is shown, and the protocol ALPN chose. */
async function served(port: number): Promise<{ fingerprint: string; alpn: string | false | null }> {
  const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'] });
  try {
    await once(socket, 'secureConnect');
    return { fingerprint: socket.getPeerX509Certificate()!.fingerprint256, alpn: socket.alpnProtocol };
  } finally {
    socket.destroy();
  }
}

const fingerprintOf = (pair: CertificatePair) => new X509Certificate(pair.cert).fingerprint256;

describe('TLS certificate reload on SIGHUP (--tls-cert, --tls-key)', () => {
  let dir: string;
  let riffle: RiffleProcess;
  let first: CertificatePair;
  let second: CertificatePair;
  let certFile: string;
  let keyFile: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-tls-reload-'));
    // Two generated pairs: same names, different keys, so different fingerprints.
    first = await ensureSelfSignedCertificate(join(dir, 'a'));
    second = await ensureSelfSignedCertificate(join(dir, 'b'));
    assert.notEqual(fingerprintOf(first), fingerprintOf(second));
    certFile = join(dir, 'cert.pem');
    keyFile = join(dir, 'key.pem');
    await writeFile(certFile, first.cert);
    await writeFile(keyFile, first.key);
    riffle = await startRiffle({ args: ['--tls-cert', certFile, '--tls-key', keyFile] });
  });
  after(async () => {
    await riffle.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the new certificate to new connections after SIGHUP, and keeps the old one when the new files are bad', async () => {
    assert.equal((await served(riffle.port)).fingerprint, fingerprintOf(first));
    const started = riffle.logs.map((line) => JSON.parse(line)).find((entry) => entry.event === 'started');
    assert.equal(started.tlsCertificate, fingerprintOf(first));

    await writeFile(certFile, second.cert);
    await writeFile(keyFile, second.key);
    riffle.child.kill('SIGHUP');
    let seen = await served(riffle.port);
    for (let attempt = 0; attempt < 50 && seen.fingerprint !== fingerprintOf(second); attempt++) {
      await delay(100);
      seen = await served(riffle.port);
    }
    assert.equal(seen.fingerprint, fingerprintOf(second));
    assert.equal(seen.alpn, 'h2', 'ALPN survives the new context');

    // A key that does not belong to the certificate, then a certificate that is not PEM at all.
    for (const [cert, key] of [[first.cert, second.key], ['not a certificate', second.key]] as const) {
      const failuresBefore = riffle.logs.filter((line) => line.includes('"tls-reload-failed"')).length;
      await writeFile(certFile, cert);
      await writeFile(keyFile, key);
      riffle.child.kill('SIGHUP');
      for (let attempt = 0; attempt < 50 && riffle.logs.filter((line) => line.includes('"tls-reload-failed"')).length === failuresBefore; attempt++) {
        await delay(100);
      }
      const failure = JSON.parse(riffle.logs.filter((line) => line.includes('"tls-reload-failed"')).at(-1)!);
      assert.equal(failure.level, 'error');
      assert.ok(!JSON.stringify(failure).includes('PRIVATE KEY'), 'the key never reaches the log');
      assert.equal((await served(riffle.port)).fingerprint, fingerprintOf(second));
    }
    assert.equal(riffle.child.exitCode, null);
  });
});
