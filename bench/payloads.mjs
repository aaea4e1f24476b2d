// Record payloads and request bodies, built by hand so the client spends as little time as possible per call.
import { randomBytes } from 'node:crypto';

const POOL_SIZE = 64;

/** A pool of random payloads, pre-encoded as base64, handed out round-robin. */
export function createPayloadPool(recordBytes) {
  const pool = Array.from({ length: POOL_SIZE }, () => randomBytes(recordBytes).toString('base64'));
  let next = 0;
  return {
    base64Length: pool[0].length,
    next() {
      next = (next + 1) % POOL_SIZE;
      return pool[next];
    },
  };
}

/** 16 random lower-case alphanumerics: spreads records evenly over shards; JSON-safe without escaping. */
export function randomPartitionKey() {
  return Math.random().toString(36).slice(2, 10).padEnd(8, '0') + Math.random().toString(36).slice(2, 10).padEnd(8, '0');
}

export function putRecordBody(streamName, partitionKey, base64Data) {
  return `{"StreamName":"${streamName}","PartitionKey":"${partitionKey}","Data":"${base64Data}"}`;
}

/** @param {string[]} base64Records */
export function putRecordsBody(streamName, base64Records) {
  const entries = base64Records.map((data) => `{"PartitionKey":"${randomPartitionKey()}","Data":"${data}"}`);
  return `{"StreamName":"${streamName}","Records":[${entries.join(',')}]}`;
}
