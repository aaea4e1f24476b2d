// Starts kinesalite like its cli.js does, but bound to 127.0.0.1: its CLI has no host option.
// Usage: node kinesalite-loopback.mjs <port> [dataDir]
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../package.json', import.meta.url));
const kinesalite = require('kinesalite');

const [portArg, dataDir] = process.argv.slice(2);
const server = kinesalite({
  createStreamMs: 0,
  deleteStreamMs: 0,
  updateStreamMs: 0,
  shardLimit: 10_000,
  ...(dataDir ? { path: dataDir } : {}),
});
server.listen(Number(portArg), '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`Listening at http://${address}:${port}`);
});
