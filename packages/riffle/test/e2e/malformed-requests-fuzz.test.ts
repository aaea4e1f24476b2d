import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient, startRiffle, testCredentials, testSeed, type RiffleProcess } from '@riffle/testkit';
import { settings } from '../../src/config.js';
import { runCampaign, type CampaignReport } from './fuzz/fuzz-campaign.js';
import { FUZZ_STREAM } from './fuzz/operation-documents.js';

/**
 * Issue 7: at least 100,000 generated malformed requests (headers, signatures, JSON, CBOR, bodies and connections
 * cut short, pipelined, HTTP/2 streams reset early) against one real server. It never exits, never answers 5xx,
 * every AWS error carries a known __type in the request's protocol, and afterwards it serves the SDK and reopens
 * its data directory. RIFFLE_TEST_SEED repeats a run; RIFFLE_FUZZ_SCALE multiplies the counts (e.g. 10 for a soak).
 */

const SCALE = Number(process.env.RIFFLE_FUZZ_SCALE ?? '1') || 1;
const COUNTS = { framed: Math.round(86_000 * SCALE), broken: Math.round(7_000 * SCALE), h2: Math.round(8_000 * SCALE) };
const KEPT = Buffer.from('written before the fuzz');

/** Present once the strict-auth work lands (`--auth strict`, RIFFLE_ACCESS_KEYS); the strict part runs by itself then. */
const STRICT_AUTH = settings.some((setting) => setting.flag === 'auth' && (setting.choices?.includes('strict') ?? false));
const STRICT_KEY = { accessKeyId: 'AKIDFUZZSTRICT000001', secretAccessKey: 'fuzz-strict-secret' };
const STRICT_ACCOUNT = '111122223333';

function summary(report: CampaignReport): string {
  const statuses = Object.entries(report.byStatus).map(([status, count]) => `${status}:${count}`).join(' ');
  const types = Object.entries(report.byErrorType).sort((a, b) => b[1] - a[1]).map(([type, count]) => `${type}:${count}`).join(' ');
  return [
    `seed ${report.seed} (RIFFLE_TEST_SEED=${report.seed} repeats it): ${report.requests} requests in ${report.durationMs} ms`,
    `  framed ${report.framed}, broken connections ${report.brokenConnections}, h2 streams ${report.h2Streams}; answered ${report.answered}`,
    `  unanswered ${report.unanswered}, lost with a connection another request broke ${report.lostWithConnection}, h2 reset by server ${report.h2ResetByServer} / by client ${report.h2ResetByClient}, refused by node's h2 client ${report.h2RefusedByClient}, h2 garbage refused with GOAWAY ${report.h2Goaway}`,
    `  correct signatures ${report.intactSigned} (past authentication ${report.intactPassedAuth})`,
    `  statuses ${statuses}`,
    `  error types ${types}`,
  ].join('\n');
}

function assertClean(report: CampaignReport, riffle: RiffleProcess): void {
  assert.equal(riffle.child.exitCode, null, 'the server never exits');
  assert.equal(riffle.child.signalCode, null, 'the server is never killed');
  assert.deepEqual(report.problems, [], `${report.problemCount} problems, the first ${report.problems.length} listed`);
  assert.equal(report.unanswered, 0, 'every request on a live connection is answered');
  // A fault reaches the log even at the quietest level (pipeline-failure, internal-failure, ...).
  const faults = riffle.logs.filter((line) => line.includes('"level":"error"'));
  assert.deepEqual(faults, [], 'the server logs no faults');
  assert.equal(report.byStatus['500'] ?? 0, 0, 'no InternalFailure for client errors');
}

async function readBack(client: KinesisClient, streamName: string): Promise<Buffer[]> {
  const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
  const { Records } = await client.send(new GetRecordsCommand({ ShardIterator }));
  return (Records ?? []).map((record) => Buffer.from(record.Data!));
}

describe('malformed requests fuzz (issue 7)', () => {
  let dataDir: string;
  let riffle: RiffleProcess;
  let report: CampaignReport;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'riffle-fuzz-'));
    riffle = await startRiffle({ dataDir });
    const client = kinesisClient(riffle.endpoint);
    await client.send(new CreateStreamCommand({ StreamName: 'fuzz-keeper', ShardCount: 1 }));
    await client.send(new PutRecordCommand({ StreamName: 'fuzz-keeper', PartitionKey: 'k', Data: KEPT }));
    // The stream the generated documents name, so that some of them reach the handlers.
    await client.send(new CreateStreamCommand({ StreamName: FUZZ_STREAM, ShardCount: 2 }));
    client.destroy();
  });
  after(async () => {
    await riffle?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`answers ${COUNTS.framed + COUNTS.broken + COUNTS.h2} malformed requests without a crash, a hang or a 5xx`, async (t: TestContext) => {
    const seed = testSeed();
    t.diagnostic(`seed ${seed}`);
    report = await runCampaign({
      port: riffle.port,
      seed,
      credentials: testCredentials,
      counts: COUNTS,
      strictAuth: false,
      serverAlive: () => riffle.child.exitCode === null && riffle.child.signalCode === null,
    });
    t.diagnostic(summary(report));
    assertClean(report, riffle);
    assert.ok(report.requests >= 100_000 * Math.min(SCALE, 1), `at least 100,000 requests (${report.requests})`);
    // The generators reach every layer: refusals of the wire, of the signature checks and of validation.
    for (const type of ['SerializationException', 'UnknownOperationException', 'IncompleteSignatureException', 'ValidationException', 'ResourceNotFoundException']) {
      assert.ok((report.byErrorType[type] ?? 0) > 0, `some requests answered with ${type}`);
    }
  });

  it('still serves the SDK over HTTP/2 and HTTP/1.1, and reopens its data directory', async () => {
    assert.ok(report, 'the fuzz ran');
    for (const http of ['2', '1.1'] as const) {
      const client = kinesisClient(riffle.endpoint, { http });
      const streamName = `after-fuzz-h${http.replace('.', '')}`;
      await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
      await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from(streamName) }));
      assert.deepEqual(await readBack(client, streamName), [Buffer.from(streamName)]);
      assert.deepEqual(await readBack(client, 'fuzz-keeper'), [KEPT]);
      client.destroy();
    }
    assert.equal(await riffle.stop(), 0, 'a clean shutdown after the fuzz');
    riffle = await startRiffle({ dataDir });
    const client = kinesisClient(riffle.endpoint);
    assert.deepEqual(await readBack(client, 'fuzz-keeper'), [KEPT], 'the record written before the fuzz reads back after a restart');
    assert.deepEqual(await readBack(client, 'after-fuzz-h2'), [Buffer.from('after-fuzz-h2')]);
    client.destroy();
  });
});

describe('malformed requests fuzz with strict auth (issue 7)', () => {
  // Runs wherever `riffle serve --auth strict` exists; a build without it reports a TODO, never a silent pass.
  const todo = STRICT_AUTH ? false : 'needs `--auth strict` with RIFFLE_ACCESS_KEYS (issue 7, strict-auth branch)';

  it('answers 10,000 malformed requests, and a correct signature is never refused', { todo }, async (t: TestContext) => {
    if (!STRICT_AUTH) return;
    const riffle = await startRiffle({
      args: ['--auth', 'strict'],
      env: { RIFFLE_ACCESS_KEYS: `${STRICT_KEY.accessKeyId}:${STRICT_KEY.secretAccessKey}:${STRICT_ACCOUNT}` },
    });
    try {
      const client = kinesisClient(riffle.endpoint, { credentials: STRICT_KEY });
      await client.send(new CreateStreamCommand({ StreamName: FUZZ_STREAM, ShardCount: 1 }));
      // The campaign's correctly signed calls may delete its own target; this stream it never names.
      await client.send(new CreateStreamCommand({ StreamName: 'fuzz-keeper', ShardCount: 1 }));
      const seed = testSeed();
      t.diagnostic(`seed ${seed}`);
      const report = await runCampaign({
        port: riffle.port,
        seed,
        credentials: STRICT_KEY,
        counts: { framed: 8_600, broken: 700, h2: 800 },
        strictAuth: true,
        serverAlive: () => riffle.child.exitCode === null && riffle.child.signalCode === null,
      });
      t.diagnostic(summary(report));
      assertClean(report, riffle);
      assert.ok(report.requests >= 10_000, `at least 10,000 requests (${report.requests})`);
      assert.ok(report.intactSigned > 0, 'some requests were signed correctly');
      assert.equal(report.intactPassedAuth, report.intactSigned, 'no correct signature was refused');
      for (const type of ['InvalidSignatureException', 'UnrecognizedClientException', 'IncompleteSignatureException']) {
        assert.ok((report.byErrorType[type] ?? 0) > 0, `strict mode refused some requests with ${type}`);
      }
      await client.send(new PutRecordCommand({ StreamName: 'fuzz-keeper', PartitionKey: 'k', Data: KEPT }));
      assert.deepEqual(await readBack(client, 'fuzz-keeper'), [KEPT], 'the strict server still serves its key');
      client.destroy();
    } finally {
      await riffle.stop();
    }
  });
});
