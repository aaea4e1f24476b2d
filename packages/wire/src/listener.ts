import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createSecureServer,
  createServer as createH2cServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { SignatureVerifier } from './auth/signature-verifier.js';
import { RequestPipeline, type LogSink } from './pipeline.js';
import type { ServiceHandler } from './service-handler.js';

export interface ListenerOptions {
  /** Matched by `X-Amz-Target` prefix (e.g. `Kinesis_20131202`). */
  services: ServiceHandler[];
  /** When set, TLS (ALPN h2 and http/1.1) is accepted on the same port as plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Default 16 MiB: a 10 MiB PutRecords is about 14 MiB of base64 JSON. */
  maxBodyBytes?: number;
  /** Structured log lines; never given record data or secrets. */
  log?: LogSink;
  /** Real SigV4 verification, once it exists; only presence is checked without it. */
  verifySignature?: SignatureVerifier;
  /** A connection with no traffic for this long is closed (also bounds TLS handshakes). Default 60 s. */
  idleTimeoutMs?: number;
  /** How long close() lets in-flight requests finish before destroying connections. Default 5 s. */
  closeGraceMs?: number;
}

export interface Listener {
  listen(port: number, host: string): Promise<{ port: number; host: string }>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const DEFAULT_CLOSE_GRACE_MS = 5_000;

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const TLS_HANDSHAKE_RECORD = 0x16;

/** What each accepted TCP connection turned out to speak, for shutdown. */
interface Connection {
  readonly raw: Socket;
  kind: 'sniffing' | 'http1' | 'h2' | 'tls-handshake';
  /** The socket HTTP/1.1 runs on: the raw socket, or the TLS socket over it. */
  httpSocket?: Socket;
  inFlight: number;
}

/**
 * One port for HTTP/1.1 (keep-alive), HTTP/2 with prior knowledge (h2c) and, when configured, TLS with ALPN.
 * A plain TCP server peeks at the first bytes of each connection and hands the socket to the right server.
 */
export function createListener(options: ListenerOptions): Listener {
  const log: LogSink = options.log ?? (() => undefined);
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
  const pipeline = new RequestPipeline({
    services: options.services,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    log,
    ...(options.verifySignature ? { verifySignature: options.verifySignature } : {}),
  });

  const connections = new Map<Socket, Connection>();
  const tlsConnectionsByPeer = new Map<string, Connection>();
  const sessions = new Set<Http2Session>();
  let closing = false;
  let onConnectionsDrained: (() => void) | undefined;

  const onRequest = (
    request: IncomingMessage | Http2ServerRequest,
    response: ServerResponse | Http2ServerResponse,
  ): void => {
    if (request.httpVersionMajor === 1) {
      const socket = request.socket as Socket;
      const connection = connections.get(socket) ?? tlsConnectionsByPeer.get(peerKey(socket));
      if (connection) {
        connection.inFlight++;
        response.once('close', () => {
          connection.inFlight--;
          // A keep-alive response that began before close(): do not wait for the client to hang up.
          if (closing && connection.inFlight === 0) socket.end();
        });
      }
    }
    pipeline.handle(request, response);
  };

  const http1 = createHttpServer({ keepAliveTimeout: idleTimeoutMs }, onRequest);
  http1.setTimeout(idleTimeoutMs);
  http1.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    continueWhenCurrent(response);
    onRequest(request, response);
  });
  http1.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    log({ level: 'debug', event: 'http1-client-error', code: error.code });
    // Never write a 400 into the middle of a response that is still being produced.
    const busy = (connections.get(socket) ?? tlsConnectionsByPeer.get(peerKey(socket)))?.inFlight ?? 0;
    if (busy === 0 && socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const trackSession = (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.on('error', (error: NodeJS.ErrnoException) => log({ level: 'debug', event: 'h2-session-error', code: error.code }));
    if (closing) session.close();
  };
  const h2c = createH2cServer({}, onRequest);
  h2c.setTimeout(idleTimeoutMs);
  h2c.on('session', trackSession);

  const secure = options.tls
    ? createSecureServer(
        { key: options.tls.key, cert: options.tls.cert, allowHTTP1: true, handshakeTimeout: idleTimeoutMs },
        onRequest,
      )
    : undefined;
  if (secure) {
    secure.setTimeout(idleTimeoutMs);
    secure.on('checkContinue', (request: IncomingMessage | Http2ServerRequest, response: ServerResponse | Http2ServerResponse) => {
      if (request.httpVersionMajor === 1) continueWhenCurrent(response as ServerResponse);
      else (response as Http2ServerResponse).writeContinue();
      onRequest(request, response);
    });
    secure.on('session', trackSession);
    secure.on('secureConnection', (socket: TLSSocket) => {
      const connection = tlsConnectionsByPeer.get(peerKey(socket));
      if (!connection) return;
      if (socket.alpnProtocol === 'h2') connection.kind = 'h2';
      else {
        connection.kind = 'http1';
        connection.httpSocket = socket;
        if (closing) socket.destroy();
      }
    });
    secure.on('tlsClientError', (error: NodeJS.ErrnoException) =>
      log({ level: 'debug', event: 'tls-client-error', code: error.code }),
    );
  }

  const handOff = (connection: Connection, firstBytes: Buffer) => {
    const socket = connection.raw;
    socket.setTimeout(0);
    socket.pause();
    socket.unshift(firstBytes);
    if (secure && firstBytes[0] === TLS_HANDSHAKE_RECORD) {
      connection.kind = 'tls-handshake';
      socket.allowHalfOpen = false;
      const key = peerKey(socket);
      tlsConnectionsByPeer.set(key, connection);
      socket.once('close', () => tlsConnectionsByPeer.delete(key));
      secure.emit('connection', socket);
    } else if (firstBytes.length >= H2_PREFACE.length && firstBytes.subarray(0, H2_PREFACE.length).equals(H2_PREFACE)) {
      connection.kind = 'h2';
      socket.allowHalfOpen = false;
      h2c.emit('connection', socket);
    } else {
      connection.kind = 'http1';
      connection.httpSocket = socket;
      http1.emit('connection', socket);
    }
    // The servers attach their readers synchronously; resuming next tick replays the unshifted bytes to them.
    process.nextTick(() => socket.resume());
  };

  // allowHalfOpen as http.Server has it: the HTTP layer decides what a client's FIN means.
  const raw = createNetServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    if (closing) return void socket.destroy();
    const connection: Connection = { raw: socket, kind: 'sniffing', inFlight: 0 };
    connections.set(socket, connection);
    socket.on('error', (error: NodeJS.ErrnoException) => log({ level: 'debug', event: 'socket-error', code: error.code }));
    socket.once('close', () => {
      connections.delete(socket);
      if (connections.size === 0) onConnectionsDrained?.();
    });
    socket.setTimeout(idleTimeoutMs, () => socket.destroy());

    let buffered: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      const decided =
        buffered[0] === TLS_HANDSHAKE_RECORD ||
        buffered.length >= H2_PREFACE.length ||
        !H2_PREFACE.subarray(0, buffered.length).equals(buffered);
      if (!decided) return;
      socket.off('data', onData);
      socket.off('end', onEnd);
      handOff(connection, buffered);
    };
    const onEnd = () => socket.destroy();
    socket.on('data', onData);
    socket.once('end', onEnd);
  });

  let closePromise: Promise<void> | undefined;

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        raw.once('error', reject);
        raw.listen(port, host, () => {
          raw.off('error', reject);
          const address = raw.address() as AddressInfo;
          log({ level: 'info', event: 'listening', host: address.address, port: address.port, tls: Boolean(secure) });
          resolve({ port: address.port, host: address.address });
        });
      });
    },

    close() {
      closePromise ??= (async () => {
        closing = true;
        const serverClosed = new Promise<void>((resolve) => raw.close(() => resolve()));
        pipeline.beginShutdown();
        for (const session of sessions) session.close();
        for (const connection of connections.values()) {
          if (connection.kind === 'sniffing' || connection.kind === 'tls-handshake') connection.raw.destroy();
          else if (connection.kind === 'http1' && connection.inFlight === 0) connection.httpSocket?.destroy();
        }
        if (connections.size > 0) {
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            onConnectionsDrained = resolve;
            timer = setTimeout(resolve, closeGraceMs);
          });
          clearTimeout(timer);
          for (const session of sessions) session.destroy();
          for (const connection of connections.values()) {
            connection.httpSocket?.destroy();
            connection.raw.destroy();
          }
        }
        await serverClosed;
        log({ level: 'info', event: 'closed' });
      })();
      return closePromise;
    },
  };
}

/**
 * `Expect: 100-continue` on a pipelined request queued behind another answer: node buffers its 100 and later
 * puts the request's own head in front of it, so the client reads the 100 as body bytes. Send the 100 once the
 * response owns the connection, and never after the answer has begun.
 */
function continueWhenCurrent(response: ServerResponse): void {
  const send = () => {
    if (!response.headersSent && !response.writableEnded && !response.destroyed) response.writeContinue();
  };
  if (response.socket) send();
  else response.once('socket', send);
}

function peerKey(socket: Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}`;
}
