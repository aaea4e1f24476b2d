import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultInjector } from './fault-injector.js';

function draws(injector: FaultInjector, operation: string, n: number) {
  return Array.from({ length: n }, () => injector.draw(operation));
}

describe('FaultInjector', () => {
  it('injects nothing without a plan', () => {
    const injector = new FaultInjector(undefined);
    assert.equal(injector.active, false);
    assert.deepEqual(new Set(draws(injector, 'PutRecords', 100)), new Set([undefined]));
  });

  it('answers about the configured share of calls with each fault', () => {
    const injector = new FaultInjector({ rules: { PutRecords: { throttle: 0.2, internal: 0.1 } }, seed: 7 });
    const seen = draws(injector, 'PutRecords', 10_000);
    const throttled = seen.filter((fault) => fault === 'throttle').length;
    const internal = seen.filter((fault) => fault === 'internal').length;
    assert.ok(throttled > 1700 && throttled < 2300, `throttled ${throttled}`);
    assert.ok(internal > 800 && internal < 1200, `internal ${internal}`);
    assert.deepEqual(new Set(draws(injector, 'GetRecords', 100)), new Set([undefined]), 'operations not named are untouched');
  });

  it('repeats itself for the same seed, per operation, whatever else is drawn in between', () => {
    const plan = { rules: { PutRecords: { throttle: 0.5, internal: 0 }, '*': { throttle: 0, internal: 0.5 } }, seed: 42 };
    const first = new FaultInjector(plan);
    const alone = draws(first, 'PutRecords', 200);
    const second = new FaultInjector(plan);
    const interleaved: (string | undefined)[] = [];
    for (let i = 0; i < 200; i++) {
      second.draw('ListStreams');
      interleaved.push(second.draw('PutRecords'));
    }
    assert.deepEqual(interleaved, alone);
    assert.notDeepEqual(draws(new FaultInjector({ ...plan, seed: 43 }), 'PutRecords', 200), alone);
    assert.ok(draws(first, 'ListStreams', 100).includes('internal'), '* covers the operations not named');
  });

  it('always or never, at shares 1 and 0', () => {
    const injector = new FaultInjector({ rules: { A: { throttle: 1, internal: 0 }, B: { throttle: 0, internal: 0 } }, seed: 1 });
    assert.deepEqual(new Set(draws(injector, 'A', 100)), new Set(['throttle']));
    assert.deepEqual(new Set(draws(injector, 'B', 100)), new Set([undefined]));
  });
});
