import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after } from 'node:test';
import { createMemoryStorage, FileObjectStore, type Storage } from '@riffle/storage';
import { Engine, FakeClock, type CreateChannelInput, type EngineConfig } from '@riffle/engine';
import { testConfig } from './engine-fixture.js';

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `riffle-engine-${label}-`));
  made.push(dir);
  return dir;
}

export interface ChannelFixture {
  engine: Engine;
  clock: FakeClock;
  storage: Storage;
  objects: FileObjectStore;
  /** Closes the engine and opens another on the same storage, objects and clock: a restart. */
  restart(config?: Partial<EngineConfig>): Promise<Engine>;
}

/** An engine on memory storage, a fake clock and local buckets in a temporary directory. */
export async function startChannelEngine(config: Partial<EngineConfig> = {}, storage: Storage = createMemoryStorage()): Promise<ChannelFixture> {
  const clock = new FakeClock();
  const objects = new FileObjectStore(tempDir('buckets'));
  const fixture: ChannelFixture = {
    engine: await Engine.open({ storage, clock, objects, config: { ...testConfig, ...config } }),
    clock,
    storage,
    objects,
    async restart(next = config) {
      await fixture.engine.close();
      fixture.engine = await Engine.open({ storage, clock, objects, config: { ...testConfig, ...next } });
      return fixture.engine;
    },
  };
  return fixture;
}

type S3Destination = Extract<CreateChannelInput['destination'], { type: 'S3' }>;

/** The S3 destination s3Channel uses, to build variants of. */
export function s3Destination(overrides: Partial<S3Destination> = {}, storage: Partial<S3Destination['storage']> = {}): S3Destination {
  return {
    type: 'S3',
    storage: { bucketArn: 'arn:aws:s3:::my-bucket', expectedBucketOwner: '111122223333', compressionType: 'NONE', ...storage },
    ...overrides,
  };
}

export function s3Channel(name: string, overrides: Partial<CreateChannelInput> = {}): CreateChannelInput {
  return {
    name,
    serviceExecutionRoleArn: 'arn:aws:iam::111122223333:role/delivery',
    stream: { name: 's', recordFormat: 'JSON' },
    destination: s3Destination(),
    ...overrides,
  };
}

/** Every object of a bucket: key relative to the bucket and content, sorted by key. */
export function objectsIn(store: FileObjectStore, bucket: string): { key: string; data: Buffer }[] {
  const root = join(store.root, bucket);
  const walk = (dir: string): string[] => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries.flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
  };
  return walk(root)
    .map((path) => ({ key: relative(root, path), data: readFileSync(path) }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** The lines of every object, in key order (JSON and STRING channels). */
export function linesIn(store: FileObjectStore, bucket: string): string[] {
  return objectsIn(store, bucket).flatMap((object) => object.data.toString('utf8').split('\n').filter((line) => line !== ''));
}
