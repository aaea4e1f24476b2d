export { startServer } from './server.js';
export type { RunningServer } from './server.js';
export { resolveConfig, settings, defaultShardLimit, ConfigError } from './config.js';
export type { RiffleConfig, StoreKind } from './config.js';
export { createLogger } from './logger.js';
