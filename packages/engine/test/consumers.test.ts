import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '@riffle/engine';
import { assertEngineError, startEngine } from './engine-fixture.js';

const arnOf = (stream: string) => `arn:aws:kinesis:us-east-1:111122223333:stream/${stream}`;

describe('enhanced fan-out consumers', () => {
  it('registers a consumer CREATING, makes it ACTIVE after the create delay, and gives its ARN the creation second', async () => {
    const { engine: slow, clock } = await startEngine({ createStreamMs: 300 });
    await slow.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await clock.advance(300);
    const registered = await slow.registerConsumer('s', 'reader');
    assert.equal(registered.status, 'CREATING');
    assert.equal(registered.arn, `${arnOf('s')}/consumer/reader:${Math.floor(clock.now() / 1000)}`);
    assert.equal(registered.streamArn, arnOf('s'));
    await clock.advance(299);
    assert.equal(slow.describeConsumer('s', 'reader').status, 'CREATING');
    await clock.advance(1);
    assert.equal(slow.describeConsumer('s', 'reader').status, 'ACTIVE');
    assert.equal(slow.describeStream('s').consumerCount, 1);
  });

  it('refuses a second consumer of the same name, and names beyond 20 per stream', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.registerConsumer('s', 'c0');
    await assertEngineError(() => engine.registerConsumer('s', 'c0'), 'ConsumerExists', { stream: 's', consumer: 'c0' });
    for (let i = 1; i < 20; i++) await engine.registerConsumer('s', `c${i}`);
    await assertEngineError(() => engine.registerConsumer('s', 'c20'), 'ConsumerLimitExceeded', { stream: 's', limit: 20 });
    assert.deepEqual(engine.listConsumers('s').map((consumer) => consumer.name), Array.from({ length: 20 }, (_, i) => `c${i}`));
  });

  it('allows 50 consumers on an on-demand stream of an account with the billing commitment', async () => {
    const { engine } = await startEngine();
    await engine.updateAccountSettings('ENABLED');
    await engine.createStream({ name: 'od', mode: 'ON_DEMAND' });
    for (let i = 0; i < 50; i++) await engine.registerConsumer('od', `c${i}`);
    await assertEngineError(() => engine.registerConsumer('od', 'c50'), 'ConsumerLimitExceeded', { stream: 'od', limit: 50 });
  });

  it('allows five consumers CREATING at once in the account', async () => {
    const { engine, clock } = await startEngine({ createStreamMs: 1000 });
    await engine.createStream({ name: 'a', shardCount: 1, mode: 'PROVISIONED' });
    await engine.createStream({ name: 'b', shardCount: 1, mode: 'PROVISIONED' });
    await clock.advance(1000);
    for (let i = 0; i < 3; i++) await engine.registerConsumer('a', `c${i}`);
    for (let i = 0; i < 2; i++) await engine.registerConsumer('b', `c${i}`);
    await assertEngineError(() => engine.registerConsumer('b', 'c2'), 'TooManyCreatingConsumers', { limit: 5 });
    await clock.advance(1000);
    await engine.registerConsumer('b', 'c2');
  });

  it('deregisters through DELETING; a restart finishes pending transitions', async () => {
    const { engine, clock, storage } = await startEngine({ createStreamMs: 100, deleteStreamMs: 100 });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await clock.advance(100);
    await engine.registerConsumer('s', 'leaving');
    await clock.advance(100);
    await engine.registerConsumer('s', 'arriving');
    await engine.deregisterConsumer('s', 'leaving');
    assert.equal(engine.describeConsumer('s', 'leaving').status, 'DELETING');
    await engine.close();
    const reopened = await Engine.open({ storage, clock, config: engine.config });
    await clock.advance(100);
    assert.deepEqual(
      reopened.listConsumers('s').map((consumer) => [consumer.name, consumer.status]),
      [['arriving', 'ACTIVE']],
    );
    await assertEngineError(() => reopened.describeConsumer('s', 'leaving'), 'ConsumerNotFound', { stream: 's', consumer: 'leaving' });
  });

  it('finds a consumer by the registration its ARN names only', async () => {
    const { engine, clock } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const first = await engine.registerConsumer('s', 'reader');
    const seconds = Math.floor(first.createdAt / 1000);
    assert.equal(engine.describeConsumer('s', 'reader', seconds).arn, first.arn);
    await engine.deregisterConsumer('s', 'reader', seconds);
    await clock.advance(2000);
    await engine.registerConsumer('s', 'reader');
    await assertEngineError(() => engine.describeConsumer('s', 'reader', seconds), 'ConsumerNotFound');
  });

  it('keeps a stream with consumers unless EnforceConsumerDeletion, which takes them with it', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.registerConsumer('s', 'reader');
    await assertEngineError(() => engine.deleteStream('s'), 'StreamHasConsumers', { stream: 's' });
    await engine.deleteStream('s', { enforceConsumerDeletion: true });
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    assert.deepEqual(engine.listConsumers('s'), []);
  });

  it('tags consumers and keeps their resource policies apart from the stream’s', async () => {
    const { engine } = await startEngine();
    await engine.createStream({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await engine.registerConsumer('s', 'reader', { team: 'data' });
    await engine.addConsumerTags('s', 'reader', { env: 'test' });
    await engine.removeConsumerTags('s', 'reader', ['team']);
    assert.deepEqual(engine.listConsumerTags('s', 'reader'), [{ key: 'env', value: 'test' }]);
    assert.deepEqual(engine.listTags('s'), []);
    const policy = '{"Version":"2012-10-17","Statement":[]}';
    await engine.putResourcePolicy('s', policy, { name: 'reader' });
    assert.equal(engine.getResourcePolicy('s', { name: 'reader' }), policy);
    assert.equal(engine.getResourcePolicy('s'), undefined);
    await engine.deleteResourcePolicy('s', { name: 'reader' });
    await assertEngineError(() => engine.deleteResourcePolicy('s', { name: 'reader' }), 'ResourcePolicyNotFound');
  });
});
