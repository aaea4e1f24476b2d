export { startRiffle, fastArgs, riffleMain } from './start-riffle.js';
export type { RiffleProcess, StartOptions } from './start-riffle.js';
export { kinesisClient, testCredentials } from './kinesis-clients.js';
export type { ClientOptions } from './kinesis-clients.js';
export { rawRequest, kinesisCall, kinesisJson, authorizationHeaders } from './raw-request.js';
export type { RawResponse, KinesisContentType } from './raw-request.js';
export { killRiffle } from './kill-riffle.js';
export { readShard } from './read-shard.js';
export type { ReadShardOptions } from './read-shard.js';
