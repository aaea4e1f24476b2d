import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files for TLS to a test nats-server, made with `openssl` (Debian's, in every image and installed by .ci/run). */
export interface NatsTestTls {
  /** The CA that signed the server's and the client's certificates. */
  readonly caFile: string;
  /** The server's certificate, for 127.0.0.1 and localhost. */
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  /** A client certificate (CN riffle) for mutual TLS. */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** A CA that signed nothing here: a client trusting it must refuse the server. */
  readonly untrustedCaFile: string;
}

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new Error('openssl is not installed (apt-get install openssl): the NATS TLS tests make their certificates with it');
    throw new Error(`openssl ${args[0]} failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function selfSignedCa(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  openssl(['req', '-x509', ...KEY, '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  return { cert, key };
}

function signed(dir: string, name: string, ca: { cert: string; key: string }, serial: number, extensions: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, extensions);
  openssl(['req', ...KEY, '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', String(serial), '-days', '2', '-out', cert, '-extfile', ext]);
  return { cert, key };
}

/** Makes a CA, a server certificate for 127.0.0.1/localhost, a client certificate and an unrelated CA in `dir`. */
export function makeNatsTestTls(dir: string): NatsTestTls {
  mkdirSync(dir, { recursive: true });
  const ca = selfSignedCa(dir, 'riffle-test-ca');
  const server = signed(dir, 'localhost', ca, 1, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  const client = signed(dir, 'riffle', ca, 2, 'extendedKeyUsage=clientAuth\n');
  const untrusted = selfSignedCa(dir, 'untrusted-ca');
  return {
    caFile: ca.cert,
    serverCertFile: server.cert,
    serverKeyFile: server.key,
    clientCertFile: client.cert,
    clientKeyFile: client.key,
    untrustedCaFile: untrusted.cert,
  };
}
