import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  constants as http2Constants,
  createSecureServer,
  createServer as createH2cServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { createSecureContext, type TLSSocket } from 'node:tls';
import type { SignatureVerifier } from './auth/signature-verifier.js';
import { RequestPipeline, type AnyServerRequest, type AnyServerResponse, type LogSink, type RequestCompletionHook } from './pipeline.js';
import type { ServiceHandler } from './service-handler.js';

export interface TlsCertificate {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
}

export interface ListenerOptions {
  /** Matched by `X-Amz-Target` prefix (e.g. `Kinesis_20131202`). */
  services: ServiceHandler[];
  /** When set, TLS (ALPN h2 and http/1.1) is accepted on the same port as plain HTTP. */
  tls?: TlsCertificate;
  /** With `tls`: plain HTTP/1.1 and h2c connections are refused (see refusePlainConnection). */
  tlsOnly?: boolean;
  /** Default 16 MiB: a 10 MiB PutRecords is about 14 MiB of base64 JSON. */
  maxBodyBytes?: number;
  /** Structured log lines; never given record data or secrets. */
  log?: LogSink;
  /** SigV4 verification (createSigV4Verifier), answering the caller; only presence is checked without it. */
  verifySignature?: SignatureVerifier;
  /** Told about every dispatched request once it is answered (the audit log). */
  onRequestComplete?: RequestCompletionHook;
  /**
   * Largest request head: HTTP/1.1's request line and headers (answered 431, as Node answers), HTTP/2's header
   * list (SETTINGS_MAX_HEADER_LIST_SIZE; Node resets such a stream with ENHANCE_YOUR_CALM, and holds to it once the
   * client has acknowledged the server's SETTINGS: until then Node's 64 KiB default applies). Default 16 KiB, Node's.
   */
  maxHeaderBytes?: number;
  /** Connections open at once; one more is closed as soon as it is accepted. Default 10,000. */
  maxConnections?: number;
  /** HTTP/2 streams open at once on one session (SETTINGS_MAX_CONCURRENT_STREAMS). Default 1,000. */
  maxConcurrentStreams?: number;
  /**
   * A connection with no request in flight is closed after this long: HTTP/1.1 keep-alive, HTTP/2 sessions with no
   * open stream, and an HTTP/1.1 unary exchange with no bytes moving. Event streams are exempt. Default 60 s.
   */
  idleTimeoutMs?: number;
  /** The first bytes, the TLS handshake and each request's head must arrive within this long. Default 30 s. */
  headersTimeoutMs?: number;
  /** Each request's whole body must arrive within this long of its start (slow uploads). Default 120 s. */
  requestTimeoutMs?: number;
  /** How long close() lets in-flight requests finish before destroying connections. Default 5 s. */
  closeGraceMs?: number;
}

export interface Listener {
  listen(port: number, host: string): Promise<{ port: number; host: string }>;
  /** Connections open now (`/metrics`). */
  readonly connectionCount: number;
  close(): Promise<void>;
  /**
   * New TLS connections use this certificate from now on; connections already open keep theirs. Throws, and keeps
   * the current certificate, when the pair is unusable (bad PEM, a key that does not match the certificate).
   */
  setTlsCertificate(certificate: TlsCertificate): void;
  /**
   * Hands a request another server accepted (the console port) to this listener's pipeline unchanged, as if it
   * had arrived here: the same services, signature check, limits and audit hook.
   */
  dispatch(request: AnyServerRequest, response: AnyServerResponse): void;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
export const DEFAULT_MAX_CONNECTIONS = 10_000;
export const DEFAULT_MAX_CONCURRENT_STREAMS = 1_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
const DEFAULT_CLOSE_GRACE_MS = 5_000;

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const TLS_HANDSHAKE_RECORD = 0x16;

/** What each accepted TCP connection turned out to speak, for shutdown. */
interface Connection {
  readonly raw: Socket;
  kind: 'sniffing' | 'http1' | 'h2' | 'tls-handshake' | 'refused';
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
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // Node refuses a headers timeout above the request timeout.
  const headersTimeoutMs = Math.min(options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS, requestTimeoutMs);
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
  const tlsOnly = Boolean(options.tls && options.tlsOnly);
  const pipeline = new RequestPipeline({
    services: options.services,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    log,
    ...(options.verifySignature ? { verifySignature: options.verifySignature } : {}),
    ...(options.onRequestComplete ? { onRequestComplete: options.onRequestComplete } : {}),
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
    } else {
      limitUploadTime(request as Http2ServerRequest, response as Http2ServerResponse);
    }
    pipeline.handle(request, response);
  };

  // HTTP/1.1 has Node's own request timeout; an HTTP/2 stream gets the same bound here: its body must be in
  // within requestTimeoutMs, or it is answered 408 (as Node answers HTTP/1.1) and reset.
  const limitUploadTime = (request: Http2ServerRequest, response: Http2ServerResponse) => {
    const timer = setTimeout(() => {
      if (request.complete) return;
      log({ level: 'debug', event: 'h2-request-timeout' });
      const stream = request.stream;
      if (!response.headersSent && !response.destroyed) {
        try {
          response.writeHead(408, { 'Content-Length': 0 });
          response.end();
        } catch {
          // The stream went meanwhile.
        }
      }
      // NO_ERROR: Node sends the RST_STREAM once the answer is out, and the client stops uploading.
      closeStream(stream);
    }, requestTimeoutMs);
    response.once('close', () => clearTimeout(timer));
  };

  // Node checks header and request deadlines on this interval; a quarter of the shortest keeps them close to exact.
  const connectionsCheckingInterval = Math.min(30_000, Math.max(50, Math.floor(headersTimeoutMs / 4)));
  const http1 = createHttpServer(
    { keepAliveTimeout: idleTimeoutMs, maxHeaderSize: maxHeaderBytes, headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval },
    onRequest,
  );
  http1.setTimeout(idleTimeoutMs);
  http1.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    continueWhenCurrent(response);
    onRequest(request, response);
  });
  const onClientError = (error: NodeJS.ErrnoException, socket: Socket) => {
    log({ level: 'debug', event: 'http1-client-error', code: error.code });
    // Never write an answer into the middle of a response that is still being produced.
    const busy = (connections.get(socket) ?? tlsConnectionsByPeer.get(peerKey(socket)))?.inFlight ?? 0;
    if (busy === 0 && socket.writable) socket.end(`HTTP/1.1 ${clientErrorStatus(error.code)}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  };
  http1.on('clientError', onClientError);
  // The inner servers never listen themselves; 'listening' is what starts Node's header and request deadlines.
  http1.emit('listening');

  const trackSession = (session: Http2Session) => {
    sessions.add(session);
    session.on('error', (error: NodeJS.ErrnoException) => log({ level: 'debug', event: 'h2-session-error', code: error.code }));
    let timer: NodeJS.Timeout | undefined;
    session.once('close', () => {
      clearTimeout(timer);
      sessions.delete(session);
    });
    if (closing) return void session.close();
    // Idle means no open stream, however busy the session's bytes: a SubscribeToShard is never idle, and a
    // session that only dribbles frames without completing a request is. Before its first request a session
    // gets the headers timeout.
    let openStreams = 0;
    let served = false;
    const arm = () => {
      timer = setTimeout(() => {
        log({ level: 'debug', event: 'h2-session-idle' });
        session.close();
      }, served ? idleTimeoutMs : headersTimeoutMs);
    };
    arm();
    session.on('stream', (stream: ServerHttp2Stream) => {
      openStreams++;
      served = true;
      clearTimeout(timer);
      stream.once('close', () => {
        if (--openStreams === 0 && !session.closed && !session.destroyed) arm();
      });
    });
  };
  const http2Settings = { maxConcurrentStreams: options.maxConcurrentStreams ?? DEFAULT_MAX_CONCURRENT_STREAMS, maxHeaderListSize: maxHeaderBytes };
  const h2c = createH2cServer({ settings: http2Settings }, onRequest);
  h2c.on('session', trackSession);

  const secure = options.tls
    ? createSecureServer(
        { key: options.tls.key, cert: options.tls.cert, allowHTTP1: true, handshakeTimeout: headersTimeoutMs, settings: http2Settings },
        onRequest,
      )
    : undefined;
  if (secure) {
    // HTTP/1.1 over TLS runs Node's HTTP/1.1 server code against these properties of the HTTP/2 server.
    Object.assign(secure, { keepAliveTimeout: idleTimeoutMs, maxHeaderSize: maxHeaderBytes, headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval });
    secure.on('clientError', onClientError);
    secure.emit('listening');
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
        // Not secure.setTimeout(): that would also time out h2 sessions on inactivity, cutting quiet event streams.
        socket.setTimeout(idleTimeoutMs);
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
    const isTls = secure !== undefined && firstBytes[0] === TLS_HANDSHAKE_RECORD;
    const isH2c = !isTls && firstBytes.length >= H2_PREFACE.length && firstBytes.subarray(0, H2_PREFACE.length).equals(H2_PREFACE);
    if (tlsOnly && !isTls) return refusePlainConnection(connection, isH2c ? 'h2c' : 'http1');
    socket.pause();
    socket.unshift(firstBytes);
    if (isTls) {
      connection.kind = 'tls-handshake';
      socket.allowHalfOpen = false;
      const key = peerKey(socket);
      tlsConnectionsByPeer.set(key, connection);
      socket.once('close', () => tlsConnectionsByPeer.delete(key));
      secure.emit('connection', socket);
    } else if (isH2c) {
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

  /**
   * --tls-only. AWS's API endpoints terminate only TLS on 443; AWS's load balancers (like nginx) answer plain HTTP
   * sent to a TLS port with "400 The plain HTTP request was sent to HTTPS port" (repost.aws,
   * api-gateway-private-integration-errors). A user who forgot `https://` learns more from such an answer than
   * from a reset, and it tells nothing the client did not already send in clear, so HTTP/1.1 gets a 400 and h2c a
   * GOAWAY with INADEQUATE_SECURITY (RFC 9113 §7); nothing is dispatched. The rest of what the client sends is read
   * and dropped, so that it sees the answer rather than a reset.
   */
  const refusePlainConnection = (connection: Connection, protocol: 'http1' | 'h2c') => {
    const socket = connection.raw;
    connection.kind = 'refused';
    log({ level: 'debug', event: 'plain-connection-refused', protocol });
    socket.setTimeout(headersTimeoutMs, () => socket.destroy());
    socket.once('end', () => socket.destroy());
    socket.on('data', () => undefined);
    socket.end(protocol === 'h2c' ? H2C_REFUSAL : HTTP1_REFUSAL);
  };

  // allowHalfOpen as http.Server has it: the HTTP layer decides what a client's FIN means.
  const raw = createNetServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    if (closing) return void socket.destroy();
    if (connections.size >= maxConnections) {
      log({ level: 'debug', event: 'connection-limit', limit: maxConnections });
      return void socket.destroy();
    }
    const connection: Connection = { raw: socket, kind: 'sniffing', inFlight: 0 };
    connections.set(socket, connection);
    socket.on('error', (error: NodeJS.ErrnoException) => log({ level: 'debug', event: 'socket-error', code: error.code }));
    socket.once('close', () => {
      connections.delete(socket);
      if (connections.size === 0) onConnectionsDrained?.();
    });
    socket.setTimeout(headersTimeoutMs, () => socket.destroy());

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
    get connectionCount() {
      return connections.size;
    },

    listen(port, host) {
      return new Promise((resolve, reject) => {
        raw.once('error', reject);
        raw.listen(port, host, () => {
          raw.off('error', reject);
          const address = raw.address() as AddressInfo;
          log({ level: 'info', event: 'listening', host: address.address, port: address.port, tls: Boolean(secure), tlsOnly });
          resolve({ port: address.port, host: address.address });
        });
      });
    },

    dispatch(request, response) {
      pipeline.handle(request, response);
    },

    setTlsCertificate(certificate) {
      if (!secure) throw new Error('TLS is not enabled on this listener');
      // setSecureContext would take a mismatched pair and fail every handshake; this throws first instead.
      createSecureContext({ key: certificate.key, cert: certificate.cert });
      secure.setSecureContext({ key: certificate.key, cert: certificate.cert });
    },

    close() {
      closePromise ??= (async () => {
        closing = true;
        const serverClosed = new Promise<void>((resolve) => raw.close(() => resolve()));
        pipeline.beginShutdown();
        for (const session of sessions) session.close();
        for (const connection of connections.values()) {
          if (connection.kind === 'sniffing' || connection.kind === 'tls-handshake' || connection.kind === 'refused') connection.raw.destroy();
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
        // Stops Node's deadline checks on the inner servers (they never listened, so close() only reports that).
        for (const inner of [http1, secure]) inner?.close(() => undefined);
        log({ level: 'info', event: 'closed' });
      })();
      return closePromise;
    },
  };
}

/** The status line Node's own clientError handling would answer with. */
function clientErrorStatus(code: string | undefined): string {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return '431 Request Header Fields Too Large';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return '413 Payload Too Large';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return '408 Request Timeout';
    default:
      return '400 Bad Request';
  }
}

const TLS_REQUIRED = 'The plain HTTP request was sent to HTTPS port: this server accepts TLS only (use https://).\n';
const HTTP1_REFUSAL = Buffer.from(
  `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: ${TLS_REQUIRED.length}\r\nConnection: close\r\n\r\n${TLS_REQUIRED}`,
  'latin1',
);
/** The server preface (an empty SETTINGS frame), then GOAWAY(last stream 0, INADEQUATE_SECURITY, "TLS required"). */
const H2C_REFUSAL = (() => {
  const debug = Buffer.from('TLS required', 'latin1');
  const goaway = Buffer.alloc(9 + 8 + debug.length);
  goaway.writeUIntBE(8 + debug.length, 0, 3);
  goaway[3] = 0x7;
  goaway.writeUInt32BE(0, 9);
  goaway.writeUInt32BE(http2Constants.NGHTTP2_INADEQUATE_SECURITY, 13);
  debug.copy(goaway, 17);
  return Buffer.concat([Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]), goaway]);
})();

function closeStream(stream: ServerHttp2Stream): void {
  try {
    stream.close(http2Constants.NGHTTP2_NO_ERROR);
  } catch {
    // Already gone.
  }
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
