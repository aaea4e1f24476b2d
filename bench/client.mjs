// A minimal Kinesis JSON 1.1 client over raw node:http (keep-alive) or node:http2 (h2c prior knowledge).
// Bodies are built by the caller; the client signs each request with SigV4 (sigv4-sign.mjs) so that servers
// verifying signatures accept it, at a client-side cost far below the server's.
import http from 'node:http';
import http2 from 'node:http2';
import { roundRobin } from './round-robin.mjs';
import { signRequest } from './sigv4-sign.mjs';

const TARGET_PREFIX = 'Kinesis_20131202.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const H2_WINDOW_BYTES = 32 * 1024 * 1024;

export class BenchRequestError extends Error {
  constructor(operation, status, type, message) {
    super(`${operation}: HTTP ${status} ${type ?? ''} ${message ?? ''}`.trim());
    this.name = 'BenchRequestError';
    this.operation = operation;
    this.status = status;
    this.type = type;
  }
}

function decode(operation, status, text) {
  let body;
  try {
    body = text.length > 0 ? JSON.parse(text) : {};
  } catch {
    throw new BenchRequestError(operation, status, 'UnparseableResponse', text.slice(0, 200));
  }
  if (status !== 200) {
    const type = typeof body.__type === 'string' ? body.__type.split('#').pop() : undefined;
    throw new BenchRequestError(operation, status, type, body.message ?? body.Message);
  }
  return body;
}

/**
 * @typedef {object} KinesisClient
 * @property {(operation: string, body: string) => Promise<any>} call  resolves the parsed JSON body; rejects with BenchRequestError
 * @property {() => Promise<void>} close
 * @property {KinesisClient[]} [endpoints]  one client per endpoint (one for a single server), for setup that must reach
 *           every node of a cluster
 */

/**
 * `ports` (several nodes of one cluster) instead of `port`: one connection pool per port, and each call goes to the
 * next port in turn, so every closed-loop worker, producer and poller uses every node.
 * @returns {KinesisClient}
 */
export function createClient({ host = '127.0.0.1', port, ports = [port], transport = 'http1' }) {
  const clients = ports.map((each) => (transport === 'h2' ? createHttp2Client(host, each) : createHttp1Client(host, each)));
  if (clients.length === 1) return { ...clients[0], endpoints: clients };
  const next = roundRobin(clients);
  return {
    call: (operation, body) => next().call(operation, body),
    close: async () => { await Promise.all(clients.map((client) => client.close())); },
    endpoints: clients,
  };
}

function createHttp1Client(host, port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const authority = `${host}:${port}`;
  return {
    call(operation, body) {
      return new Promise((resolve, reject) => {
        const target = TARGET_PREFIX + operation;
        const request = http.request({
          host, port, method: 'POST', path: '/', agent,
          headers: {
            'Content-Type': CONTENT_TYPE, 'X-Amz-Target': target, 'Content-Length': Buffer.byteLength(body),
            ...signRequest({ host: authority, contentType: CONTENT_TYPE, target, body }),
          },
        }, (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            try {
              resolve(decode(operation, response.statusCode, Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(error);
            }
          });
        });
        request.on('error', reject);
        request.end(body);
      });
    },
    async close() {
      agent.destroy();
    },
  };
}

function createHttp2Client(host, port) {
  const baseHeaders = { ':method': 'POST', ':path': '/', 'content-type': CONTENT_TYPE };
  const authority = `${host}:${port}`;
  let session;
  // One session carries every concurrent call; a new one replaces it if the server closed it (e.g. GOAWAY).
  const currentSession = () => {
    if (!session || session.closed || session.destroyed) {
      session = http2.connect(`http://${host}:${port}`, { settings: { initialWindowSize: H2_WINDOW_BYTES } });
      session.on('error', () => {}); // surfaced through the failing streams
      const opened = session;
      opened.once('connect', () => opened.setLocalWindowSize(H2_WINDOW_BYTES));
    }
    return session;
  };
  return {
    call(operation, body) {
      return new Promise((resolve, reject) => {
        let stream;
        try {
          const target = TARGET_PREFIX + operation;
          stream = currentSession().request({
            ...baseHeaders, 'x-amz-target': target, ...signRequest({ host: authority, contentType: CONTENT_TYPE, target, body }),
          });
        } catch (error) {
          reject(error);
          return;
        }
        let status = 0;
        const chunks = [];
        stream.on('response', (headers) => { status = Number(headers[':status']); });
        stream.on('data', (chunk) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          try {
            resolve(decode(operation, status, Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error);
          }
        });
        stream.end(body);
      });
    },
    close() {
      return new Promise((resolve) => {
        if (!session || session.destroyed) return resolve();
        session.close(() => resolve());
      });
    },
  };
}
