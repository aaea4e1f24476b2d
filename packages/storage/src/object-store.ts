/**
 * Local stand-ins for S3 buckets, which channels deliver into: bucket B, key K is a file at B/K under one
 * directory. An object appears whole or not at all, and is durable once putObject resolves.
 */
export interface ObjectStore {
  /** Writes (or replaces) an object; resolves once it and its directory entries are on disk. */
  putObject(bucket: string, key: string, bytes: Uint8Array): Promise<void>;
  hasObject(bucket: string, key: string): Promise<boolean>;
  /** Removes an object if it is there. */
  deleteObject(bucket: string, key: string): Promise<void>;
  /** Where an object's file is (tests, tools, the README's description of the layout). */
  pathOf(bucket: string, key: string): string;
}
