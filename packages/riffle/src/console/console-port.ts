import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { AnyServerRequest, AnyServerResponse, LogSink, TlsCertificate } from '@riffle/wire';
import { isApiRequest } from './api-request.js';
import { StaticAssets } from './static-assets.js';

/** What the console's page learns about the server before its first call (its region, whether keys are needed). */
export interface ConsoleSettings {
  readonly region: string;
  readonly auth: 'permissive' | 'strict';
}

export interface ConsolePortOptions {
  readonly assetsDir: string;
  /** The API listener's pipeline (Listener.dispatch): API calls go there unchanged. */
  readonly dispatch: (request: AnyServerRequest, response: AnyServerResponse) => void;
  /** The body of GET /metrics. */
  readonly prometheusText: () => string;
  readonly prometheusContentType: string;
  readonly settings: ConsoleSettings;
  /** HTTPS (ALPN h2 and http/1.1) when set: the console port speaks TLS whenever the API does. */
  readonly tls?: TlsCertificate;
  readonly maxHeaderBytes: number;
  readonly idleTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly log: LogSink;
  /** How long close() lets requests in flight finish. Default 2 s. */
  readonly closeGraceMs?: number;
}

export interface ConsolePort {
  listen(port: number, host: string): Promise<{ port: number; host: string }>;
  setTlsCertificate(certificate: TlsCertificate): void;
  close(): Promise<void>;
}

/**
 * The console port: the web console's files, GET /metrics, GET /console-config.json, and every API call passed
 * through to the API's pipeline in process. The browser signs for this port's Host, which the pipeline sees
 * unchanged, so signatures verify in strict mode and no cross-origin setup is needed.
 */
export function createConsolePort(options: ConsolePortOptions): ConsolePort {
  const assets = new StaticAssets(options.assetsDir);
  const settingsBody = JSON.stringify(options.settings);
  const onRequest = (request: IncomingMessage | Http2ServerRequest, response: ServerResponse | Http2ServerResponse) => {
    if (isApiRequest(request)) return options.dispatch(request, response);
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/metrics') return answer(response, request, options.prometheusContentType, options.prometheusText());
    if (path === '/console-config.json') return answer(response, request, 'application/json; charset=utf-8', settingsBody);
    assets.serve(request, response).catch((error: unknown) => {
      options.log({ level: 'error', event: 'console-asset-failure', error: String(error) });
      if (!response.headersSent) {
        response.writeHead(500);
        response.end();
      } else response.destroy();
    });
  };

  const server: Server | Http2SecureServer = options.tls
    ? createSecureServer({ key: options.tls.key, cert: options.tls.cert, allowHTTP1: true, settings: { maxHeaderListSize: options.maxHeaderBytes } }, onRequest)
    : createHttpServer({ maxHeaderSize: options.maxHeaderBytes, keepAliveTimeout: options.idleTimeoutMs, headersTimeout: Math.min(options.headersTimeoutMs, options.requestTimeoutMs), requestTimeout: options.requestTimeoutMs }, onRequest);
  if (options.tls) {
    // HTTP/1.1 over TLS runs Node's HTTP/1.1 server code against these properties of the HTTP/2 server.
    Object.assign(server, { keepAliveTimeout: options.idleTimeoutMs, maxHeaderSize: options.maxHeaderBytes, headersTimeout: Math.min(options.headersTimeoutMs, options.requestTimeoutMs), requestTimeout: options.requestTimeoutMs });
  }
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    options.log({ level: 'debug', event: 'console-client-error', code: error.code });
    socket.destroy();
  });
  server.on('tlsClientError', (error: NodeJS.ErrnoException) => options.log({ level: 'debug', event: 'console-tls-client-error', code: error.code }));

  let closing: Promise<void> | undefined;
  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve({ port: address.port, host: address.address });
        });
      });
    },
    setTlsCertificate(certificate) {
      if (!options.tls) throw new Error('TLS is not enabled on the console port');
      createSecureContext({ key: certificate.key, cert: certificate.cert });
      (server as Http2SecureServer).setSecureContext({ key: certificate.key, cert: certificate.cert });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          for (const session of sessions) session.destroy();
          for (const socket of sockets) socket.destroy();
        }, options.closeGraceMs ?? 2_000);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        for (const session of sessions) session.close();
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function answer(response: AnyServerResponse, request: AnyServerRequest, contentType: string, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(bytes.length), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  if (request.method === 'HEAD') response.end();
  else response.end(bytes);
}
