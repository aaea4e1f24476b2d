import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../seeded-random.js';
import { dataProfiles } from './data-profiles.js';

const AT = Date.parse('2021-09-09T12:15:02.001Z');
const run = (name: string, n: number, seed = 5) => {
  const profile = dataProfiles[name]!.create(new SeededRandom(seed));
  return Array.from({ length: n }, (_, i) => profile.next(AT + i * 1000));
};

describe('built-in data profiles', () => {
  it('host-metrics: 5 hosts in turn, percentages bounded, values wandering rather than jumping', () => {
    const records = run('host-metrics', 500).map((r) => JSON.parse(r.data) as Record<string, number | string>);
    assert.deepEqual(Object.keys(records[0]!), ['host', 'timestamp', 'cpuPercent', 'memoryPercent', 'diskUsedPercent', 'diskReadKBps', 'diskWriteKBps', 'networkInKBps', 'networkOutKBps']);
    assert.equal(new Set(records.map((r) => r.host)).size, 5);
    for (const r of records) for (const f of ['cpuPercent', 'memoryPercent', 'diskUsedPercent']) assert.ok((r[f] as number) >= 0 && (r[f] as number) <= 100);
    const cpu = records.filter((r) => r.host === 'web-01').map((r) => r.cpuPercent as number);
    for (let i = 1; i < cpu.length; i++) assert.ok(Math.abs(cpu[i]! - cpu[i - 1]!) <= 8.01, 'a step of the walk is bounded');
    assert.equal(records[1]!.timestamp, '2021-09-09T12:15:03.001Z');
  });

  it('clickstream: users, sessions, pages, referrers, user agents', () => {
    const records = run('clickstream', 300).map((r) => JSON.parse(r.data) as Record<string, string>);
    assert.deepEqual(Object.keys(records[0]!), ['eventId', 'timestamp', 'userId', 'sessionId', 'eventType', 'page', 'referrer', 'userAgent', 'ip']);
    for (const r of records) {
      assert.match(r.userId!, /^user-\d{4}$/);
      assert.ok(['page_view', 'click', 'search', 'add_to_cart', 'purchase'].includes(r.eventType!));
      assert.match(r.page!, /^\//);
    }
    assert.ok(new Set(records.map((r) => r.eventType)).size >= 4);
  });

  it('iot-sensor: devices with temperature, humidity and battery in range and a position', () => {
    const records = run('iot-sensor', 200).map((r) => JSON.parse(r.data) as Record<string, number | string>);
    assert.deepEqual(Object.keys(records[0]!), ['deviceId', 'timestamp', 'temperature', 'humidity', 'battery', 'lat', 'lon']);
    for (const r of records) {
      assert.match(r.deviceId as string, /^sensor-\d{3}$/);
      assert.ok((r.humidity as number) >= 0 && (r.humidity as number) <= 100 && (r.battery as number) > 0 && (r.battery as number) <= 100);
      assert.ok(Math.abs(r.lat as number) <= 90 && Math.abs(r.lon as number) <= 180);
    }
  });

  it('access-logs: combined log lines that Kinesis Agent\'s COMBINEDAPACHELOG pattern parses', () => {
    // The combined format: %h %l %u [%t] "%r" %>s %b "%{Referer}i" "%{User-agent}i".
    const combined = /^(\S+) (\S+) (\S+) \[([\w:/]+\s[+-]\d{4})\] "(\S+) (\S+) (\S+)" (\d{3}) (\d+|-) "([^"]*)" "([^"]*)"$/;
    for (const record of run('access-logs', 200)) {
      const match = combined.exec(record.data);
      assert.ok(match, record.data);
      assert.equal(match[4], '09/Sep/2021:12:15:02 +0000'.slice(0, 12) + match[4]!.slice(12));
      assert.equal(record.fields.host, match[1]);
      assert.equal(record.fields.response, match[8]);
    }
    assert.equal(run('access-logs', 1)[0]!.fields.datetime, '09/Sep/2021:12:15:02 +0000');
  });

  it('every profile repeats its records for a seed and differs for another', () => {
    for (const name of Object.keys(dataProfiles)) {
      assert.deepEqual(run(name, 30, 8), run(name, 30, 8), name);
      assert.notDeepEqual(run(name, 30, 8), run(name, 30, 9), name);
    }
  });
});
