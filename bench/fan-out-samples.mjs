// The fan-out scenario's bookkeeping, free of I/O so that it can be unit tested: the record header, what each
// consumer received and when, and the latencies derived from the producer's send and acknowledgement times.
import { LatencySamples } from './stats.mjs';

/** Record payload header: float64 send time (performance.now() of this process), uint32 record index. */
export const HEADER_BYTES = 12;
/** The index of the priming records that prove a subscription live before the timed producer starts. */
export const PRIMING_INDEX = 0xffff_ffff;
const HEADER_BASE64_CHARS = 16; // 12 bytes -> 16 base64 characters, no padding

/** Writes the header into the first 12 bytes of a payload buffer. */
export function writeHeader(payload, sentAt, index) {
  payload.writeDoubleLE(sentAt, 0);
  payload.writeUInt32LE(index, 8);
  return payload;
}

/** The record index of a record's data as the SDK hands it over (a Uint8Array); undefined if too short. */
export function indexFromBytes(data) {
  if (!(data instanceof Uint8Array) || data.byteLength < HEADER_BYTES) return undefined;
  return new DataView(data.buffer, data.byteOffset, HEADER_BYTES).getUint32(8, true);
}

/** The record index of a record's data as GetRecords returns it (base64 text); undefined if too short. */
export function indexFromBase64(data) {
  if (typeof data !== 'string' || data.length < HEADER_BASE64_CHARS) return undefined;
  return Buffer.from(data.slice(0, HEADER_BASE64_CHARS), 'base64').readUInt32LE(8);
}

/** Kinesis sequence numbers are decimal strings; within a shard a longer one is larger. No BigInt on the hot path. */
export function sequenceAfter(sequence, previous) {
  if (previous === undefined) return true;
  return sequence.length !== previous.length ? sequence.length > previous.length : sequence > previous;
}

/** What one consumer (a subscription or a poller) received: the delivery time of every timed record, by index. */
export class DeliveryLog {
  constructor(total) {
    this.deliveredAt = new Float64Array(total).fill(Number.NaN);
    this.received = 0;
    this.duplicates = 0;
    this.unknown = 0;
    this.outOfOrder = 0;
    this.primed = false;
    this.lastSequence = undefined;
  }

  /** One record arrived at `at` (performance.now()); the sequence number checks the shard's order. */
  record(index, at, sequenceNumber) {
    if (typeof sequenceNumber === 'string') {
      if (!sequenceAfter(sequenceNumber, this.lastSequence)) this.outOfOrder += 1;
      this.lastSequence = sequenceNumber;
    }
    if (index === PRIMING_INDEX) {
      this.primed = true;
      return;
    }
    if (index === undefined || index >= this.deliveredAt.length) {
      this.unknown += 1;
      return;
    }
    if (!Number.isNaN(this.deliveredAt[index])) {
      this.duplicates += 1;
      return;
    }
    this.deliveredAt[index] = at;
    this.received += 1;
  }
}

/**
 * Latencies over every consumer's deliveries of every acknowledged record: delivery minus acknowledgement (negative
 * when the push overtook the PutRecord response) and delivery minus send. Records sent but not acknowledged are
 * expected by nobody and measured by nobody.
 * @param {{ sentAt: Float64Array, ackedAt: Float64Array, logs: DeliveryLog[] }} input
 */
export function summariseDeliveries({ sentAt, ackedAt, logs }) {
  const afterAck = new LatencySamples();
  const afterSend = new LatencySamples();
  let acknowledged = 0;
  for (let index = 0; index < ackedAt.length; index++) if (!Number.isNaN(ackedAt[index])) acknowledged += 1;
  let deliveries = 0;
  let beforeAck = 0;
  let fewest;
  const perConsumer = [];
  for (const log of logs) {
    let got = 0;
    for (let index = 0; index < ackedAt.length; index++) {
      const at = log.deliveredAt[index];
      if (Number.isNaN(ackedAt[index]) || Number.isNaN(at)) continue;
      got += 1;
      afterAck.add(at - ackedAt[index]);
      afterSend.add(at - sentAt[index]);
      if (at < ackedAt[index]) beforeAck += 1;
    }
    deliveries += got;
    perConsumer.push(got);
    fewest = fewest === undefined ? got : Math.min(fewest, got);
  }
  return {
    acknowledged,
    expected: acknowledged * logs.length,
    deliveries,
    beforeAck,
    fewest,
    perConsumer,
    duplicates: logs.reduce((sum, log) => sum + log.duplicates, 0),
    outOfOrder: logs.reduce((sum, log) => sum + log.outOfOrder, 0),
    unknown: logs.reduce((sum, log) => sum + log.unknown, 0),
    afterAck,
    afterSend,
  };
}
