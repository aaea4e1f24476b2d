import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatRecord, hexLines, jsonLine, textLine, type TailRecord } from './record-formats.js';

const record = (data: Uint8Array | string, ...key: [string | undefined] | []): TailRecord => ({
  shardId: 'shardId-000000000000',
  sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
  partitionKey: key.length === 0 ? 'k' : key[0],
  approximateArrivalTimestamp: new Date('2024-05-01T12:00:00.123Z'),
  data: typeof data === 'string' ? Buffer.from(data) : data,
});

describe('tail formats', () => {
  it('text: UTF-8 as it is, tab kept, other control characters and newlines as \\xNN', () => {
    assert.equal(textLine(record('héllo wörld ✓')), 'héllo wörld ✓');
    assert.equal(textLine(record('a\tb\nc\r\x1b[31m\x7f')), 'a\tb\\x0ac\\x0d\\x1b[31m\\x7f');
    assert.equal(textLine(record('{"a":"x\\"y"}')), '{"a":"x\\"y"}', 'backslashes are not escaped: JSON lines stay JSON');
  });

  it('text: bytes that are not UTF-8 are \\xNN, the valid parts around them kept', () => {
    assert.equal(textLine(record(Buffer.from([0x61, 0xff, 0xc3, 0xa9, 0xc3, 0x62, 0xe2, 0x9c]))), 'a\\xffé\\xc3b\\xe2\\x9c');
    assert.equal(textLine(record(Buffer.from([0xed, 0xa0, 0x80]))), '\\xed\\xa0\\x80', 'an encoded surrogate is not UTF-8');
    assert.equal(textLine(record('')), '');
  });

  it('json: text data with encoding utf-8, every field named', () => {
    assert.equal(
      jsonLine(record('hi "there"\n')),
      '{"shardId":"shardId-000000000000","sequenceNumber":"49590338271490256608559692538361571095921575989136588898","partitionKey":"k","approximateArrivalTimestamp":"2024-05-01T12:00:00.123Z","data":"hi \\"there\\"\\n","encoding":"utf-8"}',
    );
  });

  it('json: bytes that are not UTF-8 as base64, and a missing partition key as null', () => {
    const parsed = JSON.parse(jsonLine(record(Buffer.from([0x00, 0xff, 0xfe]), undefined)));
    assert.deepEqual([parsed.data, parsed.encoding, parsed.partitionKey], ['AP/+', 'base64', null]);
  });

  it('hex: a header, then hexdump -C lines', () => {
    const bytes = Buffer.from('0123456789abcdef\x00\xffxyz', 'latin1');
    assert.deepEqual(hexLines(record(bytes, 'key 1')), [
      'shardId-000000000000 49590338271490256608559692538361571095921575989136588898 key "key 1" 21 bytes',
      '00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|',
      '00000010  00 ff 78 79 7a                                    |..xyz|',
    ]);
    assert.deepEqual(hexLines(record('', undefined)), ['shardId-000000000000 49590338271490256608559692538361571095921575989136588898 key (none) 0 bytes']);
    assert.deepEqual(formatRecord(record('A'), 'hex')[1], '00000000  41                                                |A|');
  });
});
