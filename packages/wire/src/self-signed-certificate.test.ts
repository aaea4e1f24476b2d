import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureSelfSignedCertificate } from './self-signed-certificate.js';

describe('ensureSelfSignedCertificate', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'riffle-wire-cert-'));
  after(() => rm(dir, { recursive: true, force: true }));

  it('generates a certificate for localhost, 127.0.0.1 and ::1 into dir/tls', async () => {
    const pair = await ensureSelfSignedCertificate(dir);
    const certificate = new X509Certificate(pair.cert);
    assert.ok(certificate.checkHost('localhost'));
    assert.ok(certificate.checkIP('127.0.0.1'));
    assert.ok(certificate.checkIP('::1'));
    assert.ok(certificate.checkPrivateKey(createPrivateKey(pair.key)));
    assert.equal(await readFile(join(dir, 'tls', 'cert.pem'), 'utf8'), pair.cert);
    assert.equal((await stat(join(dir, 'tls', 'key.pem'))).mode & 0o077, 0);
  });

  it('reuses the stored certificate', async () => {
    const first = await ensureSelfSignedCertificate(dir);
    const second = await ensureSelfSignedCertificate(dir);
    assert.equal(second.cert, first.cert);
    assert.equal(second.key, first.key);
  });

  it('replaces a certificate that is about to expire', async () => {
    const first = await ensureSelfSignedCertificate(dir);
    const validTo = Date.parse(new X509Certificate(first.cert).validTo);
    const renewed = await ensureSelfSignedCertificate(dir, () => new Date(validTo - 60_000));
    assert.notEqual(renewed.cert, first.cert);
  });
});
