// SigV4 signing of the bench client's requests (POST / with a JSON 1.1 body), so that a server verifying
// signatures (Riffle --auth strict) accepts them. Every target gets signed requests: the client's cost is the
// same for all, and the difference between riffle and riffle-strict is the server's verification alone.
import { createHash, createHmac } from 'node:crypto';

/** The key the strict Riffle of the bench knows (RIFFLE_ACCESS_KEYS), with full access. */
export const BENCH_CREDENTIALS = { accessKeyId: 'AKIABENCHMARK0000000', secretAccessKey: 'bench-secret-access-key', accountId: '000000000000' };
const REGION = 'us-east-1';
const SERVICE = 'kinesis';

const signingKeys = new Map();
function signingKey(date) {
  let key = signingKeys.get(date);
  if (key === undefined) {
    const kDate = createHmac('sha256', `AWS4${BENCH_CREDENTIALS.secretAccessKey}`).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(REGION).digest();
    const kService = createHmac('sha256', kRegion).update(SERVICE).digest();
    key = createHmac('sha256', kService).update('aws4_request').digest();
    signingKeys.set(date, key);
  }
  return key;
}

let stampSecond = -1;
let stamp = '';
function amzDate() {
  const second = Math.floor(Date.now() / 1000);
  if (second !== stampSecond) {
    stampSecond = second;
    stamp = new Date(second * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  }
  return stamp;
}

/**
 * The X-Amz-Date and Authorization headers for one request. `host` is what the server sees as the Host header
 * (HTTP/1.1) or :authority (HTTP/2).
 */
export function signRequest({ host, contentType, target, body }) {
  const date = amzDate();
  const day = date.slice(0, 8);
  const scope = `${day}/${REGION}/${SERVICE}/aws4_request`;
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const signedHeaders = 'content-type;host;x-amz-date;x-amz-target';
  const canonical = `POST\n/\n\ncontent-type:${contentType}\nhost:${host}\nx-amz-date:${date}\nx-amz-target:${target}\n\n${signedHeaders}\n${payloadHash}`;
  const stringToSign = `AWS4-HMAC-SHA256\n${date}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const signature = createHmac('sha256', signingKey(day)).update(stringToSign).digest('hex');
  return {
    'x-amz-date': date,
    authorization: `AWS4-HMAC-SHA256 Credential=${BENCH_CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
