import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { constants as http2Constants, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { checkSigV4Presence, type SigV4Credentials } from './auth/sigv4-presence.js';
import type { CallerIdentity } from './auth/caller-identity.js';
import type { SignatureVerifier } from './auth/signature-verifier.js';
import { isBodyDecodeError } from './codec/body-decode-error.js';
import { decodeCbor, encodeCbor } from './codec/cbor-codec.js';
import { decodeJson, encodeJson } from './codec/json-codec.js';
import { encodeEventStreamMessage } from './eventstream/encode-event-stream-message.js';
import { MediaType } from './media-type.js';
import { newExtendedRequestId, newRequestId } from './request-ids.js';
import { ServiceError, isServiceError } from './service-error.js';
import type {
  EventStreamMessage,
  OperationResult,
  Protocol,
  RequestContext,
  ServiceHandler,
} from './service-handler.js';

export type AnyServerRequest = IncomingMessage | Http2ServerRequest;
export type AnyServerResponse = ServerResponse | Http2ServerResponse;

export type LogSink = (entry: Record<string, unknown>) => void;

/** How a dispatched request ended, for an audit trail. Carries the decoded input, so never log it whole. */
export interface RequestCompletion {
  readonly context: RequestContext;
  /** The decoded request document (a plain map, not validated). */
  readonly input: Record<string, unknown>;
  /** The handler's answer document, when it returned one (not for pre-encoded bodies or event streams). */
  readonly output: unknown;
  /** HTTP status answered (200 when an event stream opened). */
  readonly status: number;
  readonly error: { readonly type: string; readonly message: string | undefined } | undefined;
  /** When the request arrived, epoch milliseconds. */
  readonly receivedAt: number;
  readonly userAgent: string | undefined;
  /** `Host`, or HTTP/2's `:authority`. */
  readonly host: string | undefined;
  /** Set for requests that came over TLS. */
  readonly tls: { readonly protocol: string; readonly cipher: string } | undefined;
}

/**
 * Called once for every request that named a known operation with a decodable body, after its answer was sent
 * (for an event stream, once it opened), including those refused by the signature check. Must be quick;
 * what it throws is logged and otherwise ignored.
 */
export type RequestCompletionHook = (completion: RequestCompletion) => void;

export interface PipelineOptions {
  readonly services: readonly ServiceHandler[];
  readonly maxBodyBytes: number;
  readonly log: LogSink;
  readonly verifySignature?: SignatureVerifier;
  readonly onRequestComplete?: RequestCompletionHook;
}

const EXPOSED_HEADERS = 'x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date';
const CORS_MAX_AGE_SECONDS = '172800';
const AUTHORIZATION_UNKNOWN = 'Unable to determine service/operation name to be authorized';

type BodyOutcome = { readonly kind: 'body'; readonly body: Buffer } | { readonly kind: 'too-large' } | { readonly kind: 'aborted' };

/**
 * Bytes in, (operation, document) to the service, bytes out, with AWS's order of pre-dispatch checks as
 * reverse-engineered by kinesalite (index.js, test/connection.js). Works on HTTP/1.1 and HTTP/2 (compat API).
 */
export class RequestPipeline {
  private readonly services: ReadonlyMap<string, ServiceHandler>;
  private readonly eventStreams = new Set<AbortController>();
  private shuttingDown = false;

  constructor(private readonly options: PipelineOptions) {
    this.services = new Map(options.services.map((service) => [service.targetPrefix, service]));
  }

  /** Never throws and never leaves a request unanswered (unless the client went away). */
  handle(request: AnyServerRequest, response: AnyServerResponse): void {
    this.process(request, response).catch((error: unknown) => {
      this.options.log({ level: 'error', event: 'pipeline-failure', stack: stackOf(error) });
      safely(() => response.destroy());
    });
  }

  /** Server is closing: ask HTTP/1.1 clients to reconnect elsewhere and end long-lived event streams. */
  beginShutdown(): void {
    this.shuttingDown = true;
    for (const controller of this.eventStreams) controller.abort(new Error('server shutting down'));
  }

  private async process(request: AnyServerRequest, response: AnyServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const requestId = newRequestId();
    const outcome = await readBody(request, this.options.maxBodyBytes);
    if (outcome.kind === 'aborted') return;
    if (outcome.kind === 'too-large') return this.rejectTooLarge(request, response, requestId);

    const headers = request.headers;
    const method = request.method ?? '';
    const base: OutgoingHttpHeaders = { 'x-amzn-RequestId': requestId };
    if (method !== 'OPTIONS' || !headers.origin) base['x-amz-id-2'] = newExtendedRequestId();
    if (this.shuttingDown && request.httpVersionMajor === 1) base['Connection'] = 'close';

    if (headers.origin) {
      base['Access-Control-Allow-Origin'] = '*';
      if (method === 'OPTIONS') {
        const requestHeaders = headers['access-control-request-headers'];
        const requestMethod = headers['access-control-request-method'];
        if (requestHeaders) base['Access-Control-Allow-Headers'] = requestHeaders;
        if (requestMethod) base['Access-Control-Allow-Methods'] = requestMethod;
        base['Access-Control-Max-Age'] = CORS_MAX_AGE_SECONDS;
        return send(response, 200, base, Buffer.alloc(0));
      }
      base['Access-Control-Expose-Headers'] = EXPOSED_HEADERS;
    }

    if (method !== 'POST') return sendXmlError(response, 403, base, 'AccessDeniedException', AUTHORIZATION_UNKNOWN);

    const contentType = String(headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const [prefix = '', operation = ''] = String(headers['x-amz-target'] ?? '').split('.');
    const service = prefix ? this.services.get(prefix) : undefined;
    const targetValid = service !== undefined && operation !== '' && service.hasOperation(operation);
    const body = outcome.body;

    if (body.length === 0) {
      // kinesalite: an empty body is answered in JSON only for the JSON media type, CBOR otherwise.
      const protocol: Protocol = contentType === MediaType.amzJson ? 'json' : 'cbor';
      return sendError(response, protocol, base, targetValid ? serializationError() : unknownOperationError());
    }

    const protocol = protocolOf(contentType);
    if (protocol === undefined && contentType !== MediaType.coralJson) {
      if (!prefix || !operation) return sendXmlError(response, 403, base, 'AccessDeniedException', AUTHORIZATION_UNKNOWN);
      return send(response, 404, base, Buffer.from('<UnknownOperationException/>\n'));
    }

    if (protocol === undefined) return sendCoralJsonEnvelope(response, base, body);

    let input: unknown;
    try {
      input = protocol === 'json' ? decodeJson(body) : decodeCbor(body);
    } catch (error) {
      if (isBodyDecodeError(error)) return sendError(response, protocol, base, serializationError());
      throw error;
    }
    if (!isPlainMap(input)) return sendError(response, protocol, base, serializationError());
    if (!targetValid) return sendError(response, protocol, base, unknownOperationError());

    let credentials: SigV4Credentials | undefined;
    let caller: CallerIdentity | undefined;
    try {
      credentials = checkSigV4Presence({
        authorization: headerValue(headers.authorization),
        hasDateHeader: Boolean(headers['x-amz-date'] || headers.date),
        query: queryOf(request.url ?? ''),
      });
      if (this.options.verifySignature) {
        caller = await this.options.verifySignature({ method, url: request.url ?? '', headers, body, credentials });
      }
    } catch (error) {
      if (!isServiceError(error)) throw error;
      sendError(response, protocol, base, error);
      const refused = requestContext(request, { requestId, protocol, targetPrefix: prefix, operation }, credentials, undefined, () => new AbortController().signal);
      return this.complete(request, refused, input, receivedAt, error.statusCode, error);
    }

    // Only long-lived handlers (event streams) look at the signal: an AbortController per request cost 3.5% of
    // PutRecord CPU, so it is made on first use.
    let controller: AbortController | undefined;
    const controllerOf = () => (controller ??= new AbortController());
    const onClose = () => {
      // writableEnded, not writableFinished: HTTP/2's compat response reports finished once its stream is gone.
      if (controller && !response.writableEnded) controller.abort(new Error('client disconnected'));
    };
    response.once('close', onClose);
    const context = requestContext(request, { requestId, protocol, targetPrefix: prefix, operation }, credentials, caller, () => controllerOf().signal);

    let result: OperationResult;
    try {
      result = await service!.handle(context, input);
    } catch (error) {
      const serviceError = this.toServiceError(error, context);
      sendError(response, protocol, base, serviceError);
      return this.complete(request, context, input, receivedAt, serviceError.statusCode, serviceError);
    }

    if (result.kind === 'document') {
      const encoded = result.body === undefined ? Buffer.alloc(0) : encode(protocol, result.body);
      send(response, 200, { ...base, 'Content-Type': mediaTypeOf(protocol) }, encoded);
      return this.complete(request, context, input, receivedAt, 200, undefined, result.body);
    }
    if (result.kind === 'encoded') {
      send(response, 200, { ...base, 'Content-Type': mediaTypeOf(protocol) }, result.body);
      return this.complete(request, context, input, receivedAt, 200);
    }
    this.complete(request, context, input, receivedAt, 200);
    const streamController = controllerOf();
    // The client may have gone while the handler ran, before anything asked for the signal.
    if (response.destroyed && !response.writableEnded) streamController.abort(new Error('client disconnected'));
    this.eventStreams.add(streamController);
    if (this.shuttingDown) streamController.abort(new Error('server shutting down'));
    const resumeInactivityTimeout = suspendInactivityTimeout(request);
    try {
      await this.streamEvents(response, base, result.events, context, streamController);
    } finally {
      this.eventStreams.delete(streamController);
      resumeInactivityTimeout();
    }
  }

  private complete(
    request: AnyServerRequest,
    context: RequestContext,
    input: Record<string, unknown>,
    receivedAt: number,
    status: number,
    error?: ServiceError,
    output?: unknown,
  ): void {
    const hook = this.options.onRequestComplete;
    if (!hook) return;
    const headers = request.headers;
    try {
      hook({
        context,
        input,
        output,
        status,
        error: error ? { type: error.type, message: error.hasMessage ? error.message : undefined } : undefined,
        receivedAt,
        userAgent: headerValue(headers['user-agent']),
        host: headerValue(headers.host) ?? headerValue(headers[':authority']),
        tls: tlsOf(request),
      });
    } catch (hookError) {
      this.options.log({ level: 'error', event: 'request-hook-failure', requestId: context.requestId, stack: stackOf(hookError) });
    }
  }

  private toServiceError(error: unknown, context: RequestContext): ServiceError {
    if (isServiceError(error)) return error;
    this.options.log({
      level: 'error',
      event: 'internal-failure',
      requestId: context.requestId,
      operation: context.operation,
      stack: stackOf(error),
    });
    return new ServiceError('InternalFailure', undefined, { statusCode: 500 });
  }

  private async streamEvents(
    response: AnyServerResponse,
    base: OutgoingHttpHeaders,
    events: AsyncIterable<EventStreamMessage>,
    context: RequestContext,
    controller: AbortController,
  ): Promise<void> {
    const signal = controller.signal;
    safely(() => {
      response.writeHead(200, { ...base, 'Content-Type': MediaType.eventStream });
      // HTTP/1.1 holds headers until the first write; HTTP/2's writeHead sends them at once.
      if ('flushHeaders' in response && typeof response.flushHeaders === 'function') response.flushHeaders();
    });
    const aborted = new Promise<'aborted'>((resolve) => {
      if (signal.aborted) resolve('aborted');
      else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    const iterator = events[Symbol.asyncIterator]();
    try {
      // Bounded by the handler's iterable (at most five minutes for SubscribeToShard) and by the abort signal.
      while (!signal.aborted) {
        const next = await Promise.race([iterator.next(), aborted]);
        if (next === 'aborted' || next.done) break;
        if (!writeFrame(response, eventFrame(next.value))) await drained(response, aborted);
      }
    } catch (error) {
      if (!signal.aborted) {
        writeFrame(response, exceptionFrame(this.toServiceError(error, context)));
      }
    } finally {
      if (signal.aborted) iterator.return?.().catch(() => undefined);
      safely(() => response.end());
    }
  }

  private rejectTooLarge(request: AnyServerRequest, response: AnyServerResponse, requestId: string): void {
    const headers: OutgoingHttpHeaders = { 'x-amzn-RequestId': requestId, 'x-amz-id-2': newExtendedRequestId() };
    // The rest of the body is never read: HTTP/1.1 closes the connection, HTTP/2 resets just the stream.
    if (request.httpVersionMajor === 1) headers['Connection'] = 'close';
    send(response, 413, headers, Buffer.alloc(0));
    // With NO_ERROR, Node sends the RST_STREAM once the 413 is out (the compat response's 'finish' would only come
    // with the stream's close, which is what is being asked for).
    if (request.httpVersionMajor === 2) safely(() => (request as Http2ServerRequest).stream.close(http2Constants.NGHTTP2_NO_ERROR));
  }
}

/** Collects the body up to `limit` bytes; stops reading (no buffering) as soon as it is exceeded. */
function readBody(request: AnyServerRequest, limit: number): Promise<BodyOutcome> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const finish = (outcome: BodyOutcome) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        request.pause();
        chunks.length = 0;
        return finish({ kind: 'too-large' });
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'body', body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) });
    const onClose = () => finish({ kind: 'aborted' });
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('close', onClose);
    // Truncated bodies surface as 'error' (ECONNRESET/aborted) before 'close'; the 'close' handler settles.
    request.on('error', () => undefined);
  });
}

function protocolOf(contentType: string): Protocol | undefined {
  if (contentType === MediaType.amzJson) return 'json';
  if (contentType === MediaType.amzCbor) return 'cbor';
  return undefined;
}

function mediaTypeOf(protocol: Protocol): string {
  return protocol === 'json' ? MediaType.amzJson : MediaType.amzCbor;
}

function encode(protocol: Protocol, document: unknown): Buffer {
  return protocol === 'json' ? encodeJson(document) : encodeCbor(document);
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function serializationError(): ServiceError {
  return new ServiceError('SerializationException', undefined, { messageKey: 'Message' });
}

function unknownOperationError(): ServiceError {
  return new ServiceError('UnknownOperationException');
}

function sendError(response: AnyServerResponse, protocol: Protocol, base: OutgoingHttpHeaders, error: ServiceError): void {
  const document: Record<string, unknown> = { __type: error.type };
  if (error.hasMessage) document[error.messageKey] = error.message;
  send(
    response,
    error.statusCode,
    { ...base, 'Content-Type': mediaTypeOf(protocol), 'x-amzn-ErrorType': error.type },
    encode(protocol, document),
  );
}

/** AWS answers non-POST and unknown media types in XML with no Content-Type (kinesalite test/connection.js). */
function sendXmlError(response: AnyServerResponse, status: number, base: OutgoingHttpHeaders, type: string, message: string): void {
  send(response, status, base, Buffer.from(`<${type}>\n  <Message>${message}</Message>\n</${type}>\n`));
}

/** `application/json` never dispatches (kinesalite index.js, from live AWS). */
function sendCoralJsonEnvelope(response: AnyServerResponse, base: OutgoingHttpHeaders, body: Buffer): void {
  let parsed = false;
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    parsed = typeof value === 'object' && value !== null;
  } catch {
    parsed = false;
  }
  const type = parsed ? 'UnknownOperationException' : 'SerializationException';
  const document = { Output: { __type: `com.amazon.coral.service#${type}` }, Version: '1.0' };
  send(response, parsed ? 404 : 400, { ...base, 'Content-Type': MediaType.coralJson }, encodeJson(document));
}

function send(response: AnyServerResponse, status: number, headers: OutgoingHttpHeaders, body: Buffer): void {
  safely(() => {
    if (response.headersSent || response.destroyed) return;
    response.writeHead(status, { ...headers, 'Content-Length': body.length });
    response.end(body);
  });
}

function eventFrame(message: EventStreamMessage): Buffer {
  const typeHeader = message.messageType === 'event' ? ':event-type' : ':exception-type';
  return encodeEventStreamMessage(
    { ':message-type': message.messageType, [typeHeader]: message.type, ':content-type': 'application/json' },
    encodeJson(message.payload ?? {}),
  );
}

/** After the 200 an error can only travel as an exception message; unknown faults use the modeled InternalFailureException. */
function exceptionFrame(error: ServiceError): Buffer {
  const type = error.type === 'InternalFailure' ? 'InternalFailureException' : error.type;
  return encodeEventStreamMessage(
    { ':message-type': 'exception', ':exception-type': type, ':content-type': 'application/json' },
    encodeJson(error.hasMessage ? { message: error.message } : {}),
  );
}

function writeFrame(response: AnyServerResponse, frame: Buffer): boolean {
  if (response.destroyed || response.writableEnded) return true;
  return (response as ServerResponse).write(frame);
}

function drained(response: AnyServerResponse, aborted: Promise<'aborted'>): Promise<unknown> {
  return Promise.race([new Promise((resolve) => response.once('drain', resolve)), aborted]);
}

/** What the service learns of a request; the signal is made only when something asks for it. */
function requestContext(
  request: AnyServerRequest,
  target: Pick<RequestContext, 'requestId' | 'protocol' | 'targetPrefix' | 'operation'>,
  credentials: SigV4Credentials | undefined,
  caller: CallerIdentity | undefined,
  signal: () => AbortSignal,
): RequestContext {
  return {
    ...target,
    // Empty only for a request refused before its signature could be read.
    accessKeyId: credentials?.accessKeyId ?? '',
    signingRegion: credentials?.signingRegion ?? '',
    caller,
    httpVersion: request.httpVersionMajor === 2 ? '2' : '1.1',
    remoteAddress: request.socket?.remoteAddress,
    secureTransport: (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true,
    get signal() {
      return signal();
    },
  };
}

/**
 * A SubscribeToShard may be quiet for longer than the idle timeout (heartbeats come every 5 s, records when they
 * come); the HTTP/1.1 socket's inactivity timer is off while it lasts. HTTP/2 streams have none (the listener
 * counts open streams instead).
 */
function suspendInactivityTimeout(request: AnyServerRequest): () => void {
  if (request.httpVersionMajor !== 1) return () => undefined;
  const socket = request.socket as Socket;
  const previous = socket.timeout ?? 0;
  if (previous === 0) return () => undefined;
  socket.setTimeout(0);
  return () => {
    if (!socket.destroyed) socket.setTimeout(previous);
  };
}

function tlsOf(request: AnyServerRequest): RequestCompletion['tls'] {
  // An HTTP/2 stream reset by the client is gone from its request by the time the answer is done.
  const socket = (request.httpVersionMajor === 2 ? (request as Http2ServerRequest).stream?.session?.socket : request.socket) as
    | TLSSocket
    | undefined;
  if (!socket || socket.encrypted !== true) return undefined;
  return { protocol: socket.getProtocol() ?? 'unknown', cipher: socket.getCipher()?.name ?? 'unknown' };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function queryOf(url: string): string {
  const index = url.indexOf('?');
  return index < 0 ? '' : url.slice(index + 1);
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // The peer is gone or the stream was reset; there is nobody left to answer.
  }
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? String(error)) : String(error);
}
