import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CreateStreamCommand,
  KMSNotFoundException,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { killRiffle, kinesisClient, readShard, startRiffle, type RiffleProcess, type StartOptions } from '@riffle/testkit';

// Encrypted records must not be findable in any byte under the data directory, and must still read back, also
// after a restart and after kill -9. Records written before StartStreamEncryption are found in plain text: the
// proof that the scan would see a marker that was there.

/** Every file under `dir`, recursively, as [path relative to dir, bytes]. */
function filesUnder(dir: string): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push([relative(dir, path), readFileSync(path)]);
    }
  };
  walk(dir);
  return out;
}

/** The files under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string | Buffer): string[] {
  const bytes = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : needle;
  return filesUnder(dir)
    .filter(([, content]) => content.includes(bytes))
    .map(([path]) => path);
}

interface Markers {
  /** In data and partition keys of records written in plain text. */
  readonly plain: string;
  /** In data of encrypted records. */
  readonly data: string;
  /** In partition keys of encrypted records. */
  readonly key: string;
  /** The explicit hash key of an encrypted record: 38 digits that appear nowhere else. */
  readonly hashKey: string;
}

const newMarkers = (): Markers => ({
  plain: `PLAIN-${randomUUID()}`,
  data: `DATA-${randomUUID()}`,
  key: `KEY-${randomUUID()}`,
  hashKey: `1${String(BigInt(`0x${randomBytes(15).toString('hex')}`)).padStart(37, '7')}`,
});

/** The data directory holds the plain marker and none of the encrypted record's, nor the master key. */
function assertScan(dataDir: string, markers: Markers, masterKey: Buffer): void {
  const plainFiles = filesContaining(dataDir, markers.plain);
  assert.ok(plainFiles.some((path) => path.startsWith('streams') && path.endsWith('.log')), `plain marker found in a segment: ${plainFiles}`);
  for (const needle of [markers.data, markers.key, markers.hashKey]) assert.deepEqual(filesContaining(dataDir, needle), [], needle);
  assert.deepEqual(filesContaining(dataDir, masterKey), [], 'the master key bytes');
  assert.deepEqual(filesContaining(dataDir, masterKey.toString('base64')), [], 'the master key in base64');
  assert.deepEqual(filesContaining(dataDir, masterKey.toString('base64url')), [], 'the master key in base64url');
}

async function createStream(client: KinesisClient, StreamName: string): Promise<string[]> {
  await client.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));
  return ((await client.send(new ListShardsCommand({ StreamName }))).Shards ?? []).map((shard) => shard.ShardId!);
}

/** Plain records, then StartStreamEncryption with `keyId`, then encrypted ones through PutRecord and PutRecords. */
async function writeAcrossTheSwitch(client: KinesisClient, StreamName: string, keyId: string, markers: Markers): Promise<void> {
  await client.send(
    new PutRecordsCommand({
      StreamName,
      Records: Array.from({ length: 4 }, (_, i) => ({ PartitionKey: `${markers.plain}-${i}`, Data: Buffer.from(`${markers.plain}-data-${i}`) })),
    }),
  );
  await client.send(new StartStreamEncryptionCommand({ StreamName, EncryptionType: 'KMS', KeyId: keyId }));
  const single = await client.send(
    new PutRecordCommand({ StreamName, PartitionKey: `${markers.key}-single`, ExplicitHashKey: markers.hashKey, Data: Buffer.from(`${markers.data}-single`) }),
  );
  assert.equal(single.EncryptionType, 'KMS');
  const batch = await client.send(
    new PutRecordsCommand({
      StreamName,
      Records: Array.from({ length: 20 }, (_, i) => ({ PartitionKey: `${markers.key}-${i}`, Data: Buffer.from(`${markers.data}-${i}`) })),
    }),
  );
  assert.equal(batch.FailedRecordCount, 0);
  assert.equal(batch.EncryptionType, 'KMS');
}

/** Every record of the stream as [partition key, data, EncryptionType], sorted. */
async function readStream(client: KinesisClient, StreamName: string, shardIds: readonly string[]): Promise<string[][]> {
  const records = [];
  for (const shardId of shardIds) records.push(...(await readShard(client, StreamName, shardId)));
  return records.map((record) => [record.PartitionKey!, Buffer.from(record.Data!).toString('utf8'), record.EncryptionType ?? 'NONE']).sort();
}

function expectedRecords(markers: Markers): string[][] {
  return [
    ...Array.from({ length: 4 }, (_, i) => [`${markers.plain}-${i}`, `${markers.plain}-data-${i}`, 'NONE']),
    [`${markers.key}-single`, `${markers.data}-single`, 'KMS'],
    ...Array.from({ length: 20 }, (_, i) => [`${markers.key}-${i}`, `${markers.data}-${i}`, 'KMS']),
  ].sort();
}

describe('encryption at rest: a real server on the file store', () => {
  const made: string[] = [];
  const running = new Set<RiffleProcess>();
  const temp = async (label: string) => {
    const dir = await mkdtemp(join(tmpdir(), `riffle-${label}-`));
    made.push(dir);
    return dir;
  };
  const start = async (options: StartOptions) => {
    const riffle = await startRiffle(options);
    running.add(riffle);
    return riffle;
  };
  const stop = async (riffle: RiffleProcess, how: 'stop' | 'kill') => {
    await (how === 'kill' ? killRiffle(riffle) : riffle.stop());
    running.delete(riffle);
  };
  after(async () => {
    for (const riffle of running) await killRiffle(riffle);
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });

  it('with RIFFLE_MASTER_KEY: no encrypted byte is findable on disk, and records read back after a restart and after kill -9', async () => {
    const masterKey = randomBytes(32);
    const env = { RIFFLE_MASTER_KEY: masterKey.toString('base64') };
    const dataDir = await temp('encrypted');
    const StreamName = 'secrets';
    const markers = newMarkers();

    let riffle = await start({ dataDir, env });
    let client = kinesisClient(riffle.endpoint);
    const shardIds = await createStream(client, StreamName);
    await writeAcrossTheSwitch(client, StreamName, 'alias/aws/kinesis', markers);
    assert.deepEqual(await readStream(client, StreamName, shardIds), expectedRecords(markers));
    assertScan(dataDir, markers, masterKey);
    assert.ok(riffle.logs.every((line) => !line.includes(markers.data) && !line.includes(markers.key)), 'no record data in the logs');
    client.destroy();

    // A clean restart, then more encrypted records and kill -9 right after their acknowledgement.
    await stop(riffle, 'stop');
    riffle = await start({ dataDir, env });
    client = kinesisClient(riffle.endpoint);
    assert.deepEqual(await readStream(client, StreamName, shardIds), expectedRecords(markers));
    await client.send(new PutRecordCommand({ StreamName, PartitionKey: `${markers.key}-late`, Data: Buffer.from(`${markers.data}-late`) }));
    client.destroy();
    await stop(riffle, 'kill');

    riffle = await start({ dataDir, env });
    client = kinesisClient(riffle.endpoint);
    const expected = [...expectedRecords(markers), [`${markers.key}-late`, `${markers.data}-late`, 'KMS']].sort();
    assert.deepEqual(await readStream(client, StreamName, shardIds), expected);
    // Stopped: new records are plain again, the encrypted ones still read.
    await client.send(new StopStreamEncryptionCommand({ StreamName, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
    await client.send(new PutRecordCommand({ StreamName, PartitionKey: `${markers.plain}-after-stop`, Data: Buffer.from('after stop') }));
    assert.deepEqual(await readStream(client, StreamName, shardIds), [...expected, [`${markers.plain}-after-stop`, 'after stop', 'NONE']].sort());
    client.destroy();
    await stop(riffle, 'stop');
    assertScan(dataDir, markers, masterKey);

    // Another master key opens none of the data keys: the start fails and says why.
    await assert.rejects(start({ dataDir, env: { RIFFLE_MASTER_KEY: randomBytes(32).toString('base64') } }), /exited \(2\).*encrypted under another master key/s);
    await assert.rejects(start({ dataDir, env: { RIFFLE_MASTER_KEY: 'c2hvcnQ=' } }), /RIFFLE_MASTER_KEY must be the base64 of 32 random bytes/);
  });

  it('with a keyring file: customer keys by alias, KMSNotFoundException for others, and a keyring created where asked', async () => {
    const keyringDir = await temp('keyring');
    const dataDir = await temp('encrypted-keyring');
    const masterKey = randomBytes(32);
    const keyring = join(keyringDir, 'keyring.json');
    const keyId = randomUUID();
    await writeFile(keyring, JSON.stringify({ masterKey: masterKey.toString('base64'), keys: [{ keyId, aliases: ['alias/orders'] }] }), { mode: 0o600 });
    const StreamName = 'orders';
    const markers = newMarkers();

    let riffle = await start({ dataDir, args: ['--keyring', keyring] });
    assert.ok(riffle.logs.some((line) => line.includes('"event":"started"') && line.includes(`"keyring":"${keyring}"`)));
    let client = kinesisClient(riffle.endpoint);
    const shardIds = await createStream(client, StreamName);
    await assert.rejects(
      client.send(new StartStreamEncryptionCommand({ StreamName, EncryptionType: 'KMS', KeyId: 'alias/unknown' })),
      (error: unknown) =>
        error instanceof KMSNotFoundException && error.message === 'Alias arn:aws:kms:us-east-1:000000000000:alias/unknown is not found.',
    );
    await writeAcrossTheSwitch(client, StreamName, 'alias/orders', markers);
    assert.deepEqual(await readStream(client, StreamName, shardIds), expectedRecords(markers));
    client.destroy();
    await stop(riffle, 'kill');

    riffle = await start({ dataDir, args: ['--keyring', keyring] });
    client = kinesisClient(riffle.endpoint);
    assert.deepEqual(await readStream(client, StreamName, shardIds), expectedRecords(markers));
    client.destroy();
    await stop(riffle, 'stop');
    assertScan(dataDir, markers, masterKey);

    // Without its keyring the data cannot be opened, and a keyring inside the data directory is refused.
    await assert.rejects(start({ dataDir, args: ['--keyring', join(keyringDir, 'elsewhere.json')] }), /holds encrypted records, but the keyring .* does not exist/);
    await assert.rejects(start({ dataDir, args: ['--keyring', join(dataDir, 'keyring.json')] }), /is inside the data directory/);
    assert.equal(existsSync(join(keyringDir, 'elsewhere.json')), false);

    // A keyring that does not exist yet is created, owner-only, at the first StartStreamEncryption.
    const created = join(keyringDir, 'new', 'keyring.json');
    const freshDir = await temp('encrypted-new-keyring');
    riffle = await start({ dataDir: freshDir, args: ['--keyring', created] });
    assert.equal(existsSync(created), false, 'not before it is needed');
    client = kinesisClient(riffle.endpoint);
    await createStream(client, StreamName);
    await client.send(new StartStreamEncryptionCommand({ StreamName, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
    assert.equal(statSync(created).mode & 0o777, 0o600);
    assert.ok(riffle.logs.some((line) => line.includes('"event":"keyring-created"') && line.includes(created)));
    const generated = Buffer.from(JSON.parse(readFileSync(created, 'utf8')).masterKey, 'base64');
    assert.equal(generated.length, 32);
    await client.send(new PutRecordCommand({ StreamName, PartitionKey: markers.key, Data: Buffer.from(markers.data) }));
    client.destroy();
    await stop(riffle, 'stop');
    for (const needle of [markers.data, markers.key, generated, generated.toString('base64')]) assert.deepEqual(filesContaining(freshDir, needle), []);
  });

  it('creates the keyring at the default place, in the user configuration directory, when nothing is configured', async () => {
    const configHome = await temp('config-home');
    const riffle = await start({ env: { RIFFLE_MASTER_KEY: '', XDG_CONFIG_HOME: configHome } });
    const client = kinesisClient(riffle.endpoint);
    await createStream(client, 'default-keyring');
    await client.send(new StartStreamEncryptionCommand({ StreamName: 'default-keyring', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
    const path = join(configHome, 'riffle', 'keyring.json');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.ok(riffle.logs.some((line) => line.includes('"event":"keyring-created"') && line.includes(path)));
    client.destroy();
    await stop(riffle, 'stop');
  });

  it('keeps the master key in memory with the memory store, as it keeps the records', async () => {
    const configHome = await temp('config-home-memory');
    const riffle = await start({ args: ['--store', 'memory'], env: { RIFFLE_MASTER_KEY: '', XDG_CONFIG_HOME: configHome } });
    assert.ok(riffle.logs.some((line) => line.includes('"event":"started"') && line.includes('"keyring":"memory"')));
    const client = kinesisClient(riffle.endpoint);
    const shardIds = await createStream(client, 'in-memory');
    const markers = newMarkers();
    await writeAcrossTheSwitch(client, 'in-memory', 'alias/aws/kinesis', markers);
    assert.deepEqual(await readStream(client, 'in-memory', shardIds), expectedRecords(markers));
    assert.deepEqual(readdirSync(configHome), [], 'no keyring file');
    client.destroy();
    await stop(riffle, 'stop');
  });
});
