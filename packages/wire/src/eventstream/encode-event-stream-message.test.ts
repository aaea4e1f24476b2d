import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from './crc32.js';
import { decodeEventStreamMessage } from './decode-event-stream-message.js';
import { encodeEventStreamMessage } from './encode-event-stream-message.js';

describe('encodeEventStreamMessage', () => {
  it('frames an empty message exactly (hand-computed vector)', () => {
    const message = encodeEventStreamMessage({}, new Uint8Array(0));
    // total 16, headers 0, prelude CRC32 of 00000010 00000000, then CRC32 of those 12 bytes (values from Python zlib.crc32).
    const prelude = Buffer.from('0000001000000000', 'hex');
    const preludeCrc = crc32(prelude);
    assert.equal(preludeCrc, 0x05c248eb);
    const expected = Buffer.alloc(16);
    prelude.copy(expected);
    expected.writeUInt32BE(preludeCrc, 8);
    expected.writeUInt32BE(crc32(expected.subarray(0, 12)), 12);
    assert.equal(expected.readUInt32BE(12), 0x7d98c8ff);
    assert.equal(message.toString('hex'), expected.toString('hex'));
  });

  it('lays out a string header and payload as the specification says', () => {
    const message = encodeEventStreamMessage({ ':event-type': 'E' }, Buffer.from('{}'));
    // header: name length 11, ":event-type", type 7, length 1, "E" = 1 + 11 + 1 + 2 + 1 = 16 bytes
    assert.equal(message.readUInt32BE(0), 12 + 16 + 2 + 4);
    assert.equal(message.readUInt32BE(4), 16);
    assert.equal(message[12], 11);
    assert.equal(message.toString('utf8', 13, 24), ':event-type');
    assert.equal(message[24], 7);
    assert.equal(message.readUInt16BE(25), 1);
    assert.equal(message.toString('utf8', 27, 28), 'E');
    assert.equal(message.toString('utf8', 28, 30), '{}');
  });

  it('round-trips every header type', () => {
    const headers = {
      ':message-type': 'event',
      yes: { type: 'boolean', value: true },
      no: { type: 'boolean', value: false },
      byte: { type: 'byte', value: -5 },
      short: { type: 'short', value: -300 },
      integer: { type: 'integer', value: 2_000_000_000 },
      long: { type: 'long', value: -(2n ** 62n) },
      binary: { type: 'binary', value: Buffer.from([0, 1, 255]) },
      timestamp: { type: 'timestamp', value: new Date(1_700_000_000_123) },
      uuid: { type: 'uuid', value: '123e4567-e89b-12d3-a456-426614174000' },
    } as const;
    const payload = Buffer.from('{"Records":[]}');
    const encoded = encodeEventStreamMessage(headers, payload);
    const decoded = decodeEventStreamMessage(encoded)!;
    assert.equal(decoded.byteLength, encoded.length);
    assert.ok(decoded.payload.equals(payload));
    assert.deepEqual(decoded.headers[':message-type'], { type: 'string', value: 'event' });
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value === 'string') continue;
      const got = decoded.headers[name]!;
      assert.equal(got.type, value.type);
      if (value.type === 'binary') assert.deepEqual([...(got.value as Uint8Array)], [...value.value]);
      else assert.deepEqual(got.value, value.value);
    }
  });

  it('decodes back-to-back messages and reports incomplete ones', () => {
    const first = encodeEventStreamMessage({ a: '1' }, Buffer.from('x'));
    const second = encodeEventStreamMessage({ b: '2' }, Buffer.from('yy'));
    const both = Buffer.concat([first, second]);
    const one = decodeEventStreamMessage(both)!;
    const two = decodeEventStreamMessage(both, one.byteLength)!;
    assert.equal(two.payload.toString(), 'yy');
    assert.equal(decodeEventStreamMessage(both.subarray(0, first.length + 5), first.length), undefined);
  });

  it('rejects corrupted prelude or message checksums', () => {
    const message = encodeEventStreamMessage({ a: '1' }, Buffer.from('payload'));
    const badPrelude = Buffer.from(message);
    badPrelude[9]! ^= 1;
    assert.throws(() => decodeEventStreamMessage(badPrelude), /prelude checksum/);
    const badBody = Buffer.from(message);
    badBody[message.length - 6]! ^= 1;
    assert.throws(() => decodeEventStreamMessage(badBody), /message checksum/);
  });

  // The SDK's own codec is a declared dev dependency: if it is missing the test fails, it never skips.
  it('agrees with the AWS SDK\'s event-stream codec (@smithy/core)', async () => {
    const smithy = await import('@smithy/core/event-streams');
    const codec = new smithy.EventStreamCodec(
      (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8'),
      (text: string) => Buffer.from(text, 'utf8'),
    );
    const encoded = encodeEventStreamMessage(
      { ':message-type': 'event', ':event-type': 'SubscribeToShardEvent', ':content-type': 'application/json', n: { type: 'long', value: 7n } },
      Buffer.from('{"Records":[]}'),
    );
    const decoded = codec.decode(encoded);
    assert.deepEqual(decoded.headers[':event-type'], { type: 'string', value: 'SubscribeToShardEvent' });
    assert.equal(decoded.headers.n?.type, 'long');
    assert.equal(Buffer.from(decoded.body).toString(), '{"Records":[]}');
    const theirs = codec.encode({
      headers: { ':message-type': { type: 'string', value: 'event' } },
      body: Buffer.from('hi'),
    });
    const ours = encodeEventStreamMessage({ ':message-type': 'event' }, Buffer.from('hi'));
    assert.equal(Buffer.from(theirs).toString('hex'), ours.toString('hex'));
  });
});
