import { createHmac } from 'node:crypto';

const MAX_CACHED_KEYS = 1024;

/**
 * The SigV4 signing key, `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`, derived
 * once per secret, date, region and service: four HMACs a request saved. The cache key holds the secret itself,
 * so a rotated secret never finds the old key; it is in memory beside the key store anyway.
 */
export class SigningKeyCache {
  private readonly keys = new Map<string, Buffer>();

  signingKey(secretAccessKey: string, scopeDate: string, region: string, service: string): Buffer {
    const cacheKey = `${scopeDate}/${region}/${service}/${secretAccessKey}`;
    let key = this.keys.get(cacheKey);
    if (key === undefined) {
      key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, scopeDate), region), service), 'aws4_request');
      // Dates roll over and keys rotate: dropping everything now and then bounds the cache without bookkeeping.
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
      this.keys.set(cacheKey, key);
    }
    return key;
  }
}

export function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
