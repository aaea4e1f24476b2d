import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CliError } from '../cli-error.js';
import { parseTimestamp, startPosition } from './start-position.js';

describe('tail start positions', () => {
  it('LATEST by default; -a, --from trim-horizon (any case, _ or -) for TRIM_HORIZON', () => {
    assert.deepEqual(startPosition(undefined, false, undefined), { kind: 'LATEST' });
    assert.deepEqual(startPosition(undefined, true, undefined), { kind: 'TRIM_HORIZON' });
    assert.deepEqual(startPosition('TRIM_HORIZON', false, undefined), { kind: 'TRIM_HORIZON' });
    assert.deepEqual(startPosition('latest', false, undefined), { kind: 'LATEST' });
  });

  it('--timestamp alone or with --from timestamp is AT_TIMESTAMP', () => {
    const at = new Date('2024-05-01T12:00:00Z');
    assert.deepEqual(startPosition(undefined, false, '2024-05-01T12:00:00Z'), { kind: 'AT_TIMESTAMP', timestamp: at });
    assert.deepEqual(startPosition('timestamp', false, '1714564800'), { kind: 'AT_TIMESTAMP', timestamp: at });
  });

  it('refuses conflicting or incomplete choices with exit code 2', () => {
    for (const [from, fromStart, timestamp] of [['latest', false, '1'], [undefined, true, '1'], ['timestamp', false, undefined], ['sometime', false, undefined], ['latest', true, undefined]] as const) {
      assert.throws(() => startPosition(from, fromStart, timestamp), (e: unknown) => e instanceof CliError && e.exitCode === 2);
    }
  });

  it('parses ISO 8601, epoch seconds (fractions too) and epoch milliseconds', () => {
    assert.equal(parseTimestamp('2024-05-01T12:00:00.5Z').getTime(), 1714564800500);
    assert.equal(parseTimestamp('1714564800').getTime(), 1714564800000);
    assert.equal(parseTimestamp('1714564800.25').getTime(), 1714564800250);
    assert.equal(parseTimestamp('1714564800123').getTime(), 1714564800123);
    assert.throws(() => parseTimestamp('yesterday'), /not an ISO 8601 time/);
    assert.throws(() => parseTimestamp('2024-13-45'), /not an ISO 8601 time/);
  });
});
