export { openNatsStorage, type NatsStorage, type NatsStorageOptions } from './open-nats-storage.js';
export { NatsShardLog, type NatsLogContext } from './nats-shard-log.js';
export { NatsMetadataStore, applyMutations, type MetadataChangeListener, type MetadataSubscription } from './nats-metadata-store.js';
export { NatsNames, encodeToken, decodeToken } from './subject-names.js';
