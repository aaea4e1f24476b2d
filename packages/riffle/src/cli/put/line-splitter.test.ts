import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitLines } from './line-splitter.js';

async function lines(chunks: (string | Buffer)[]): Promise<[string, number][]> {
  const out: [string, number][] = [];
  for await (const line of splitLines((async function* () { yield* chunks; })())) out.push([line.bytes.toString('latin1'), line.lineNumber]);
  return out;
}

describe('splitLines', () => {
  it('strips \\n and \\r\\n, keeps empty lines numbered, and takes a last line without a newline', async () => {
    assert.deepEqual(await lines(['a\nb\r\n\nc']), [['a', 1], ['b', 2], ['', 3], ['c', 4]]);
  });

  it('joins lines split across chunks, including a \\r\\n split between two chunks', async () => {
    assert.deepEqual(await lines(['he', 'llo\r', '\nwor', 'ld\n']), [['hello', 1], ['world', 2]]);
  });

  it('gives nothing for empty input and no phantom line after a final newline', async () => {
    assert.deepEqual(await lines([]), []);
    assert.deepEqual(await lines(['x\n']), [['x', 1]]);
  });

  it('is binary safe: bytes that are not UTF-8 come out as they went in', async () => {
    const out: Buffer[] = [];
    for await (const line of splitLines((async function* () { yield Buffer.from([0xff, 0x00, 0x0a, 0xc3]); yield Buffer.from([0x28, 0x0d]); })())) out.push(line.bytes);
    assert.deepEqual(out, [Buffer.from([0xff, 0x00]), Buffer.from([0xc3, 0x28])]);
  });

  it('keeps a lone \\r inside a line', async () => {
    assert.deepEqual(await lines(['a\rb\n']), [['a\rb', 1]]);
  });
});
