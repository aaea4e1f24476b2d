import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertEngineError, startEngine } from './engine-fixture.js';

describe('tags', () => {
  it('adds, overwrites, lists sorted by key and removes', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED', tags: { b: '1' } });
    await engine.addTags('s', { c: '3', a: '', b: '2' });
    assert.deepEqual(engine.listTags('s'), [
      { key: 'a', value: '' },
      { key: 'b', value: '2' },
      { key: 'c', value: '3' },
    ]);
    await engine.removeTags('s', ['b', 'missing']);
    assert.deepEqual(engine.listTags('s').map((t) => t.key), ['a', 'c']);
  });

  it('allows at most 50 tags per stream', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await engine.addTags('s', fifty);
    await engine.addTags('s', { k0: 'overwritten' });
    await assertEngineError(() => engine.addTags('s', { extra: 'v' }), 'TooManyTags', { stream: 's', limit: 50 });
    assert.equal(engine.listTags('s').length, 50);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    await assertEngineError(() => engine.createStream({ name: 't', shardCount: 1, mode: 'PROVISIONED', tags: many }), 'TooManyTags', {
      stream: 't',
      limit: 50,
    });
  });

  it('checks characters and the reserved aws: prefix', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.addTags('s', { 'Ünïcode key_./=+-@: 1': 'välue' });
    await assertEngineError(() => engine.addTags('s', { 'bad*': 'v' }), 'InvalidTagCharacters', {});
    await assertEngineError(() => engine.addTags('s', { k: 'v#' }), 'InvalidTagCharacters');
    await assertEngineError(() => engine.addTags('s', { k: '50%' }), 'IllegalTagCharacters', { stream: 's' });
    await assertEngineError(() => engine.addTags('s', { 'aws:owner': 'v' }), 'ReservedTagPrefix', { stream: 's', key: 'aws:owner' });
    assert.equal(engine.listTags('s').length, 1);
  });

  it('needs the stream to exist', async () => {
    const { engine } = await startEngine();
    await assertEngineError(() => engine.addTags('nope', { a: 'b' }), 'StreamNotFound', { stream: 'nope' });
    await assertEngineError(() => engine.listTags('nope'), 'StreamNotFound', { stream: 'nope' });
  });
});
