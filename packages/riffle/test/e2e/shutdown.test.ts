import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { kinesisJson, startRiffle } from '@riffle/testkit';

describe('shutdown', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops cleanly on ${signal}, even with an idle client connection open`, async () => {
      const riffle = await startRiffle();
      try {
        assert.equal((await kinesisJson(riffle.endpoint, 'ListStreams', {})).status, 200);
        const idle = connect(riffle.port, '127.0.0.1');
        idle.on('error', () => {});
        await new Promise((resolve) => idle.once('connect', resolve));
        riffle.child.kill(signal);
        assert.equal(await riffle.exited, 0, 'exit code 0');
        const events = riffle.logs.map((line) => JSON.parse(line).event);
        assert.ok(events.includes('stopping'));
        assert.equal(events.at(-1), 'stopped');
        idle.destroy();
      } finally {
        await riffle.stop();
      }
    });
  }
});
