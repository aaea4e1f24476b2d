import fc from 'fast-check';
import { connect as connectNet, type Socket } from 'node:net';
import { connect as connectH2, constants as h2, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { Http1ResponseParser, MalformedHttp1Response, type ParsedHttp1Response, type SigningCredentials } from '@riffle/testkit';
import { bodyArbitrary } from './malformed-bodies.js';
import { brokenPlanArbitrary, describeFramed, envelopeArbitrary, renderBroken, renderFramed, type SentRequest } from './malformed-http1.js';
import { describeH2, h2PlanArbitrary, renderH2, type H2Plan, type RenderedH2 } from './malformed-h2.js';
import { AUTH_ERROR_TYPES, checkResponse, type RequestView, type ResponseView } from './response-check.js';
import type { SigningContext } from './request-signing.js';

export interface CampaignOptions {
  readonly port: number;
  readonly seed: number;
  readonly credentials: SigningCredentials;
  /** How many of each: well-framed HTTP/1.1 requests, broken HTTP/1.1 connections, HTTP/2 streams. */
  readonly counts: { readonly framed: number; readonly broken: number; readonly h2: number };
  readonly concurrency?: { readonly framedLanes?: number; readonly window?: number; readonly brokenLanes?: number; readonly h2Sessions?: number; readonly h2Streams?: number };
  /** The server verifies signatures: a correct one must never be refused. */
  readonly strictAuth: boolean;
  /** False once the server process is gone: the campaign stops. */
  readonly serverAlive: () => boolean;
  /** The campaign stops drawing new cases after this long (default 10 minutes): a bound, reported as a problem. */
  readonly deadlineMs?: number;
}

export interface Problem {
  readonly where: string;
  readonly what: string;
  readonly request: string;
}

export interface CampaignReport {
  readonly seed: number;
  /** Malformed requests that reached the server: answered, or cut short on purpose. */
  requests: number;
  answered: number;
  framed: number;
  brokenConnections: number;
  h2Streams: number;
  /** Requests the server never answered although the connection stayed up (retried once first). */
  unanswered: number;
  /** Pipelined requests dropped with a connection another request broke (AWS-like: the connection is closed). */
  lostWithConnection: number;
  /** HTTP/2 streams the server reset (stream errors for lying content-length, too many headers, ...). */
  h2ResetByServer: number;
  h2ResetByClient: number;
  /** Requests node's HTTP/2 client refused to send (header values it will not encode). */
  h2RefusedByClient: number;
  /** Broken connections that spoke HTTP/2 garbage and were refused with GOAWAY. */
  h2Goaway: number;
  intactSigned: number;
  intactPassedAuth: number;
  readonly byStatus: Record<string, number>;
  readonly byErrorType: Record<string, number>;
  readonly problems: Problem[];
  problemCount: number;
  durationMs: number;
}

const CHUNK = 256;
const BODY_REUSE = 4;
/** A connection or stream that makes no progress for this long is hung (a bound, not a timing assertion). */
const STALL_MS = 30_000;
const MAX_PROBLEMS_KEPT = 25;

/** True once the server's HTTP/2 frames (read from the start) include a GOAWAY. */
function hasGoaway(frames: Buffer): boolean {
  let position = 0;
  while (position + 9 <= frames.length) {
    if (frames[position + 3] === 0x7) return true;
    position += 9 + frames.readUIntBE(position, 3);
  }
  return false;
}

/** Deterministic per (seed, category, chunk), whichever lane draws the chunk. */
function chunkSeed(seed: number, category: number, chunk: number): number {
  let hash = (seed ^ Math.imul(category + 1, 0x9e3779b1) ^ Math.imul(chunk + 1, 0x85ebca6b)) >>> 0;
  hash = Math.imul(hash ^ (hash >>> 16), 0x7feb352d) >>> 0;
  return (hash ^ (hash >>> 15)) >>> 0;
}

/** Hands out generated cases in order, generating and rendering a chunk at a time. */
class CaseSource<T> {
  #buffer: T[] = [];
  #next = 0;
  #chunk = 0;
  #pending: Promise<void> | undefined;
  constructor(
    private readonly total: number,
    private readonly produce: (chunk: number, size: number) => Promise<T[]>,
    private readonly stopped: () => boolean,
  ) {}

  async take(): Promise<T | undefined> {
    for (;;) {
      if (this.stopped() || this.#next >= this.total) return undefined;
      if (this.#buffer.length > 0) {
        this.#next++;
        return this.#buffer.shift();
      }
      this.#pending ??= (async () => {
        const size = Math.min(CHUNK, this.total - this.#next);
        this.#buffer.push(...(await this.produce(this.#chunk++, size)));
      })().finally(() => (this.#pending = undefined));
      await this.#pending;
    }
  }
}

interface FramedItem {
  readonly sent: SentRequest;
  /** The server closes after answering it (HTTP/1.0, Connection: close, no Host): nothing may follow it. */
  readonly closes: boolean;
  attempts: number;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const started = Date.now();
  const report: CampaignReport = {
    seed: options.seed, requests: 0, answered: 0, framed: 0, brokenConnections: 0, h2Streams: 0, unanswered: 0, lostWithConnection: 0,
    h2ResetByServer: 0, h2ResetByClient: 0, h2RefusedByClient: 0, h2Goaway: 0, intactSigned: 0, intactPassedAuth: 0,
    byStatus: {}, byErrorType: {}, problems: [], problemCount: 0, durationMs: 0,
  };
  const context: SigningContext = { host: `127.0.0.1:${options.port}`, credentials: options.credentials };
  const concurrency = { framedLanes: 24, window: 6, brokenLanes: 12, h2Sessions: 4, h2Streams: 12, ...options.concurrency };
  const problem = (where: string, what: string, request: string) => {
    report.problemCount++;
    if (report.problems.length < MAX_PROBLEMS_KEPT) report.problems.push({ where, what, request: request.slice(0, Number(process.env.FUZZ_EXCERPT ?? 600)) });
  };
  let stopped = false;
  const deadline = started + (options.deadlineMs ?? 600_000);
  const watchdog = setInterval(() => {
    if (!options.serverAlive()) stopped = true;
    if (!stopped && Date.now() > deadline) {
      stopped = true;
      problem('campaign', `stopped at the ${options.deadlineMs ?? 600_000} ms deadline`, '');
    }
  }, 100);

  const record = (where: string, request: RequestView & { intact: boolean }, response: ResponseView, describe: () => string) => {
    report.answered++;
    report.byStatus[response.status] = (report.byStatus[response.status] ?? 0) + 1;
    const { problems, errorType } = checkResponse(request, response);
    if (errorType !== undefined) report.byErrorType[errorType] = (report.byErrorType[errorType] ?? 0) + 1;
    for (const what of problems) problem(where, what, describe());
    if (request.intact) {
      report.intactSigned++;
      if (errorType === undefined || !AUTH_ERROR_TYPES.has(errorType)) report.intactPassedAuth++;
      else if (options.strictAuth) problem(where, `a correct signature was refused with ${errorType}`, describe());
    }
  };
  const excerpt = (bytes: Buffer) => JSON.stringify(bytes.subarray(0, Number(process.env.FUZZ_EXCERPT ?? 400)).toString("latin1"));

  const framedSource = new CaseSource<FramedItem>(
    options.counts.framed,
    async (chunk, size) => {
      // Each body goes out in BODY_REUSE envelopes (headers, authentication, framing): generating bodies costs most.
      const seed = chunkSeed(options.seed, 0, chunk);
      const bodies = fc.sample(bodyArbitrary(), { seed, numRuns: Math.ceil(size / BODY_REUSE) });
      const plans = fc.sample(envelopeArbitrary(options.strictAuth), { seed: seed ^ 1, numRuns: size }).map((envelope, index) => ({ ...envelope, body: bodies[Math.floor(index / BODY_REUSE)]! }));
      return Promise.all(
        plans.map(async (plan, index) => ({
          sent: await renderFramed(plan, context, `framed ${chunk}:${index} ${describeFramed(plan)}`),
          closes: plan.framing === 'http10' || plan.close || plan.omitHost,
          attempts: 0,
        })),
      );
    },
    () => stopped,
  );

  const brokenSource = new CaseSource(
    options.counts.broken,
    async (chunk, size) => {
      const plans = fc.sample(brokenPlanArbitrary(options.strictAuth), { seed: chunkSeed(options.seed, 1, chunk), numRuns: size });
      return Promise.all(plans.map(async (plan, index) => ({ plan, rendered: await renderBroken(plan, context, `broken ${chunk}:${index}`), label: `broken ${chunk}:${index}` })));
    },
    () => stopped,
  );

  const h2Source = new CaseSource(
    options.counts.h2,
    async (chunk, size) => {
      const plans = fc.sample(h2PlanArbitrary(options.strictAuth), { seed: chunkSeed(options.seed, 2, chunk), numRuns: size });
      return Promise.all(plans.map(async (plan, index) => ({ plan, rendered: await renderH2(plan, context), label: `h2 ${chunk}:${index} ${describeH2(plan)}` })));
    },
    () => stopped,
  );

  /** One keep-alive connection after another, `window` pipelined requests at a time. */
  const framedLane = async () => {
    const retries: FramedItem[] = [];
    for (;;) {
      if (stopped) return;
      const first = retries.shift() ?? (await framedSource.take());
      if (first === undefined) return;
      await new Promise<void>((resolve) => {
        const socket: Socket = connectNet(options.port, '127.0.0.1');
        socket.setNoDelay(true);
        const parser = new Http1ResponseParser();
        const pending: FramedItem[] = [];
        let closing = false;
        let finished = false;
        let drawing = false;
        let stall: NodeJS.Timeout | undefined;
        const armStall = () => {
          clearTimeout(stall);
          stall = setTimeout(() => {
            for (const item of pending) problem('framed', `no answer within ${STALL_MS} ms (hang)`, `${item.sent.label} ${excerpt(item.sent.bytes)}`);
            report.unanswered += pending.length;
            pending.length = 0;
            socket.destroy();
          }, STALL_MS);
        };
        const write = (item: FramedItem) => {
          pending.push(item);
          parser.expect(item.sent.method);
          if (item.attempts === 0) report.framed++;
          item.attempts++;
          if (item.closes || item.attempts > 1) closing = true;
          socket.write(item.sent.bytes);
        };
        const fill = async () => {
          if (drawing) return;
          drawing = true;
          try {
            while (!closing && !finished && pending.length < concurrency.window && retries.length === 0) {
              const item = await framedSource.take();
              if (item === undefined || finished) {
                if (item !== undefined) retries.push(item);
                break;
              }
              write(item);
            }
            if (pending.length === 0 && !finished) socket.end();
          } finally {
            drawing = false;
          }
        };
        const deliver = (responses: ParsedHttp1Response[]) => {
          for (const response of responses) {
            const item = pending.shift();
            if (item === undefined) {
              problem('framed', `response ${response.status} to no request`, '');
              continue;
            }
            record('framed', { ...item.sent, intact: item.sent.intact }, response, () => `${item.sent.label} ${excerpt(item.sent.bytes)}`);
          }
        };
        socket.on('data', (chunk: Buffer) => {
          armStall();
          try {
            deliver(parser.push(chunk));
          } catch (error) {
            if (!(error instanceof MalformedHttp1Response)) throw error;
            problem('framed', error.message, pending[0] ? `${pending[0].sent.label} ${excerpt(pending[0].sent.bytes)}` : '');
            pending.shift();
            socket.destroy();
            return;
          }
          void fill();
        });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          finished = true;
          clearTimeout(stall);
          try {
            deliver(parser.end());
          } catch (error) {
            if (!(error instanceof MalformedHttp1Response)) throw error;
            problem('framed', error.message, pending[0] ? `${pending[0].sent.label} ${excerpt(pending[0].sent.bytes)}` : '');
            pending.shift();
          }
          for (const item of pending) {
            // Pipelined behind a request that closed the connection: tried again alone, then it must be answered.
            if (item.attempts < 2) {
              report.lostWithConnection++;
              retries.push(item);
            } else {
              report.unanswered++;
              problem('framed', 'connection closed without an answer (sent alone)', `${item.sent.label} ${excerpt(item.sent.bytes)}`);
            }
          }
          resolve();
        });
        armStall();
        write(first);
        void fill();
      });
    }
  };

  /** One connection per broken request: write it (after any pipelined prefix), then half-close or reset. */
  const brokenLane = async () => {
    for (;;) {
      const item = await brokenSource.take();
      if (item === undefined) return;
      report.brokenConnections++;
      await new Promise<void>((resolve) => {
        const { plan, rendered } = item;
        const socket = connectNet(options.port, '127.0.0.1');
        socket.setNoDelay(true);
        const parser = new Http1ResponseParser();
        const views: Array<RequestView & { intact: boolean; describe: string }> = [
          ...rendered.prefix.map((sent) => ({ ...sent, describe: `${sent.label} ${excerpt(sent.bytes)}` })),
          // Past the prefix, answers are to bytes of no particular protocol: only the status and __type are checked.
          { method: 'RAW', mediaType: '', bodyLength: 0, intact: false, describe: `${item.label} ${rendered.note} ${excerpt(Buffer.concat(rendered.segments))}` },
        ];
        for (const sent of rendered.prefix) parser.expect(sent.method);
        parser.expect(rendered.method);
        let answered = 0;
        const deliver = (responses: ParsedHttp1Response[]) => {
          for (const response of responses) {
            const view = views[Math.min(answered++, views.length - 1)]!;
            record('broken', view, response, () => view.describe);
          }
        };
        const stall = setTimeout(() => {
          problem('broken', `connection neither answered nor closed within ${STALL_MS} ms (hang)`, views[views.length - 1]!.describe);
          socket.destroy();
        }, STALL_MS);
        let http2Bytes = Buffer.alloc(0);
        socket.on('data', (chunk: Buffer) => {
          // After a full HTTP/2 preface the server answers in HTTP/2 frames. A GOAWAY is its answer to garbage; node
          // then keeps the socket until its idle timeout whatever the client does (see the report), so stop there.
          if (rendered.http2) {
            http2Bytes = Buffer.concat([http2Bytes, chunk]);
            if (hasGoaway(http2Bytes)) {
              report.h2Goaway++;
              socket.destroy();
            }
            return;
          }
          try {
            deliver(parser.push(chunk));
          } catch (error) {
            if (!(error instanceof MalformedHttp1Response)) throw error;
            problem('broken', error.message, views[Math.min(answered, views.length - 1)]!.describe);
            socket.destroy();
          }
        });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearTimeout(stall);
          try {
            if (!rendered.http2) deliver(parser.end());
          } catch (error) {
            if (!(error instanceof MalformedHttp1Response)) throw error;
            // The server may cut its own answer when the client reset first; only a half-closed client must get it whole.
            if (plan.ending === 'end') problem('broken', error.message, views[Math.min(answered, views.length - 1)]!.describe);
          }
          report.lostWithConnection += Math.max(0, rendered.prefix.length - answered);
          resolve();
        });
        socket.once('connect', async () => {
          for (const sent of rendered.prefix) socket.write(sent.bytes);
          for (const segment of rendered.segments) {
            socket.write(segment);
            if (rendered.segments.length > 1) await new Promise((next) => setImmediate(next));
          }
          if (plan.ending === 'end') socket.end();
          else socket.destroy();
        });
      });
    }
  };

  /** One HTTP/2 session after another, `h2Streams` streams in flight at a time. */
  const h2Lane = async () => {
    let session: ClientHttp2Session | undefined;
    const open = () => {
      const created = connectH2(`http://127.0.0.1:${options.port}`);
      created.on('error', () => undefined);
      created.on('goaway', () => undefined);
      return created;
    };
    const runStream = (plan: H2Plan, rendered: RenderedH2, label: string, current: ClientHttp2Session) =>
      new Promise<void>((resolve) => {
        report.h2Streams++;
        let stream: ClientHttp2Stream;
        try {
          stream = current.request(rendered.headers, { endStream: false });
        } catch {
          report.h2Streams--;
          report.h2RefusedByClient++;
          return resolve();
        }
        let status: number | undefined;
        let headers: IncomingHttpHeaders = {};
        const chunks: Buffer[] = [];
        let ended = false;
        let settled = false;
        const settle = () => {
          if (settled) return false;
          settled = true;
          clearTimeout(stall);
          resolve();
          return true;
        };
        const stall = setTimeout(() => {
          problem('h2', `stream neither answered nor reset within ${STALL_MS} ms (hang)`, label);
          // Settle here too: a stream node's client lost track of never emits 'close'.
          stream.destroy();
          settle();
        }, STALL_MS);
        stream.on('response', (responseHeaders) => {
          headers = responseHeaders;
          status = Number(responseHeaders[':status']);
        });
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => (ended = true));
        stream.on('error', () => undefined);
        stream.on('close', () => {
          if (!settle()) return;
          if (status !== undefined && ended) {
            record('h2', { method: plan.method, mediaType: rendered.mediaType, bodyLength: rendered.body.length, intact: rendered.intact }, { status, headers, body: Buffer.concat(chunks) }, () => label);
          } else if (plan.reset !== 'none' || plan.killSession) {
            report.h2ResetByClient++;
          } else {
            report.h2ResetByServer++;
            // The server may refuse odd framing with a stream error; a plain request on a live session must be answered.
            // ENHANCE_YOUR_CALM is the listener's answer to a session that has already sent too many bad streams
            // or headers (the hardening limits): a well-formed request sharing such a session may be refused too.
            const calm = stream.rstCode === h2.NGHTTP2_ENHANCE_YOUR_CALM;
            if (rendered.plain && !calm && !current.destroyed && !current.closed) problem('h2', `plain stream reset (code ${stream.rstCode})`, label);
          }
        });
        const body = rendered.body;
        // Not in the same turn as request(): node 20's client then corrupts its heap (nghttp2 assertions, double free).
        if (plan.reset === 'immediately') return void setImmediate(() => stream.close(h2.NGHTTP2_CANCEL));
        if (plan.reset === 'mid-body') {
          stream.write(body.subarray(0, Math.floor(body.length * plan.splitAt)));
          return void setImmediate(() => stream.close(h2.NGHTTP2_CANCEL));
        }
        stream.end(body);
        if (plan.reset === 'after-end') setImmediate(() => stream.close(h2.NGHTTP2_CANCEL));
        if (plan.killSession) setImmediate(() => current.destroy());
      });
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      const item = await h2Source.take();
      if (item === undefined) break;
      if (session === undefined || session.destroyed || session.closed) session = open();
      const running = runStream(item.plan, item.rendered, item.label, session).finally(() => inFlight.delete(running));
      inFlight.add(running);
      if (inFlight.size >= concurrency.h2Streams) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    session?.close();
  };

  try {
    await Promise.all([
      ...Array.from({ length: concurrency.framedLanes }, framedLane),
      ...Array.from({ length: concurrency.brokenLanes }, brokenLane),
      ...Array.from({ length: concurrency.h2Sessions }, h2Lane),
    ]);
  } finally {
    clearInterval(watchdog);
  }
  report.requests = report.framed + report.brokenConnections + report.h2Streams;
  report.durationMs = Date.now() - started;
  return report;
}
