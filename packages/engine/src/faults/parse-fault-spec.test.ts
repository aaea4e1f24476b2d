import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultSpecError, parseFaultSpec } from './parse-fault-spec.js';

const known = ['PutRecords', 'GetRecords', 'ListStreams'];

describe('parseFaultSpec', () => {
  it('reads Operation:kind=share rules joined by commas', () => {
    assert.deepEqual(parseFaultSpec('PutRecords:throttle=0.1,GetRecords:internal=0.05', known), {
      PutRecords: { throttle: 0.1, internal: 0 },
      GetRecords: { throttle: 0, internal: 0.05 },
    });
    assert.deepEqual(parseFaultSpec(' PutRecords:throttle=.2:internal=0.3 , *:internal=1 ', known), {
      PutRecords: { throttle: 0.2, internal: 0.3 },
      '*': { throttle: 0, internal: 1 },
    });
    assert.deepEqual(parseFaultSpec('', known), {});
  });

  it('refuses what it cannot read, saying why', () => {
    const cases: [string, RegExp][] = [
      ['PutRecords', /expected Operation:kind=share/],
      ['Nope:throttle=0.1', /unknown operation 'Nope'/],
      ['PutRecords:slow=0.1', /kind throttle or internal/],
      ['PutRecords:throttle=2', /between 0 and 1/],
      ['PutRecords:throttle=abc', /kind=share/],
      ['PutRecords:throttle=0.7,PutRecords:internal=0.7', /more than 1/],
    ];
    for (const [spec, message] of cases) {
      assert.throws(() => parseFaultSpec(spec, known), (error: unknown) => error instanceof FaultSpecError && message.test(error.message), spec);
    }
  });
});
