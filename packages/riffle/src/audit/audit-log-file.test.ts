import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuditLogFile } from './audit-log-file.js';

const line = (index: number) => JSON.stringify({ eventName: 'ListStreams', index, padding: 'x'.repeat(80) });

describe('audit log file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'riffle-audit-file-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes every appended line, in order, by close()', async () => {
    const path = join(dir, 'all.log');
    const file = await AuditLogFile.open({ path, maxBytes: 1024 * 1024, files: 2 });
    for (let index = 0; index < 1000; index++) file.append(line(index));
    await file.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, 1000);
    assert.deepEqual(lines.map((text) => (JSON.parse(text) as { index: number }).index), [...Array(1000).keys()]);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it('appends to an existing file after a restart', async () => {
    const path = join(dir, 'again.log');
    for (const round of [0, 1]) {
      const file = await AuditLogFile.open({ path, maxBytes: 1024 * 1024, files: 2 });
      file.append(line(round));
      await file.close();
    }
    assert.equal((await readFile(path, 'utf8')).trimEnd().split('\n').length, 2);
  });

  it('rotates FILE -> FILE.1 -> FILE.2, keeps N rotated files and never splits a line', async () => {
    const path = join(dir, 'rotating.log');
    const maxBytes = 2048;
    const file = await AuditLogFile.open({ path, maxBytes, files: 2 });
    const total = 200; // about 20 KB: ten files' worth, of which three are kept
    for (let index = 0; index < total; index++) {
      file.append(line(index));
      if (index % 7 === 0) await file.flush(); // batches of different sizes
    }
    await file.close();
    const names = (await readdir(dir)).filter((name) => name.startsWith('rotating.log')).sort();
    assert.deepEqual(names, ['rotating.log', 'rotating.log.1', 'rotating.log.2']);
    const indexes: number[] = [];
    for (const name of ['rotating.log.2', 'rotating.log.1', 'rotating.log']) {
      const text = await readFile(join(dir, name), 'utf8');
      assert.ok(Buffer.byteLength(text) <= maxBytes, `${name} has ${Buffer.byteLength(text)} bytes`);
      assert.ok(text.endsWith('\n'));
      for (const each of text.trimEnd().split('\n')) indexes.push((JSON.parse(each) as { index: number }).index);
    }
    // The newest lines survive, contiguous and in order, ending with the last one written.
    assert.equal(indexes.at(-1), total - 1);
    assert.deepEqual(indexes, indexes.map((_, position) => indexes[0]! + position));
  });

  it('gives a line longer than the limit a file of its own', async () => {
    const path = join(dir, 'long.log');
    const file = await AuditLogFile.open({ path, maxBytes: 1024, files: 3 });
    file.append('a'.repeat(100));
    file.append('b'.repeat(3000));
    file.append('c'.repeat(100));
    await file.close();
    assert.equal(await readFile(`${path}.2`, 'utf8'), `${'a'.repeat(100)}\n`);
    assert.equal(await readFile(`${path}.1`, 'utf8'), `${'b'.repeat(3000)}\n`);
    assert.equal(await readFile(path, 'utf8'), `${'c'.repeat(100)}\n`);
  });

  it('drops and reports lines beyond its memory bound instead of growing', async () => {
    const path = join(dir, 'bounded.log');
    const reports: Array<Record<string, unknown>> = [];
    const file = await AuditLogFile.open({ path, maxBytes: 1024 * 1024, files: 1, maxPendingBytes: 1000, report: (entry) => reports.push(entry) });
    for (let index = 0; index < 50; index++) file.append(line(index)); // ~100 bytes each, queued in one turn
    await file.close();
    const written = (await readFile(path, 'utf8')).trimEnd().split('\n').length;
    assert.ok(written < 50 && written > 0);
    assert.deepEqual(reports, [{ level: 'error', event: 'audit-log-overflow', droppedLines: 50 - written }]);
  });
});
