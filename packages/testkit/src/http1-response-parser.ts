/** One HTTP/1.x response as read off a raw socket. */
export interface ParsedHttp1Response {
  readonly status: number;
  /** Lower-cased names; repeated headers joined with ', '. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
/** A server that sends more than this before the end of a head is sending garbage. */
const MAX_HEAD_BYTES = 64 * 1024;

export class MalformedHttp1Response extends Error {
  constructor(message: string, readonly excerpt: string) {
    super(`${message}: ${JSON.stringify(excerpt)}`);
    this.name = 'MalformedHttp1Response';
  }
}

/**
 * Parses the responses of one connection in order, for tests that write raw (pipelined or broken) requests.
 * The caller says, request by request, whether a response may carry a body (not for HEAD); interim 1xx
 * responses are skipped; a response without Content-Length or chunking runs to the end of the connection.
 */
export class Http1ResponseParser {
  #buffer: Buffer = Buffer.alloc(0);
  readonly #headRequests: boolean[] = [];
  #ended = false;

  /** Registers the next request written, in order: its response to a HEAD request has no body. */
  expect(method: string): void {
    this.#headRequests.push(method.toUpperCase() === 'HEAD');
  }

  /** Feeds bytes; returns every response completed by them. Throws MalformedHttp1Response on garbage. */
  push(chunk: Buffer): ParsedHttp1Response[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    return this.#drain();
  }

  /** The connection ended: completes a response that runs to the close; returns it (or nothing). */
  end(): ParsedHttp1Response[] {
    this.#ended = true;
    return this.#drain();
  }

  /** Bytes received that did not make a whole response (a response cut short by the close). */
  get leftover(): number {
    return this.#buffer.length;
  }

  #drain(): ParsedHttp1Response[] {
    const done: ParsedHttp1Response[] = [];
    for (;;) {
      const response = this.#next();
      if (response === undefined) return done;
      done.push(response);
    }
  }

  #next(): ParsedHttp1Response | undefined {
    const buffer = this.#buffer;
    if (buffer.length === 0) return undefined;
    const headEnd = buffer.indexOf(HEAD_END);
    if (headEnd < 0) {
      if (buffer.length > MAX_HEAD_BYTES) throw new MalformedHttp1Response('response head too long', excerpt(buffer));
      if (this.#ended) throw new MalformedHttp1Response('connection ended inside a response head', excerpt(buffer));
      return undefined;
    }
    const lines = buffer.toString('latin1', 0, headEnd).split('\r\n');
    const statusLine = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0]!);
    if (!statusLine) throw new MalformedHttp1Response('bad status line', lines[0]!);
    const status = Number(statusLine[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new MalformedHttp1Response('bad header line', line);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const bodyStart = headEnd + HEAD_END.length;
    if (status >= 100 && status < 200) {
      this.#buffer = buffer.subarray(bodyStart);
      return this.#next();
    }
    const noBody = this.#headRequests[0] === true || status === 204 || status === 304;
    let body: Buffer;
    let consumed: number;
    if (noBody) {
      body = Buffer.alloc(0);
      consumed = bodyStart;
    } else if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
      const chunked = readChunked(buffer, bodyStart);
      if (chunked === undefined) {
        if (this.#ended) throw new MalformedHttp1Response('connection ended inside a chunked body', excerpt(buffer));
        return undefined;
      }
      [body, consumed] = chunked;
    } else if (headers['content-length'] !== undefined) {
      if (!/^\d+$/.test(headers['content-length'])) throw new MalformedHttp1Response('bad Content-Length', headers['content-length']);
      const length = Number(headers['content-length']);
      if (buffer.length - bodyStart < length) {
        if (this.#ended) throw new MalformedHttp1Response('connection ended inside a body', excerpt(buffer));
        return undefined;
      }
      body = buffer.subarray(bodyStart, bodyStart + length);
      consumed = bodyStart + length;
    } else {
      if (!this.#ended) return undefined;
      body = buffer.subarray(bodyStart);
      consumed = buffer.length;
    }
    this.#headRequests.shift();
    this.#buffer = buffer.subarray(consumed);
    return { status, headers, body };
  }
}

/** [body, bytes consumed] of a complete chunked body starting at `from`, or undefined when incomplete. */
function readChunked(buffer: Buffer, from: number): [Buffer, number] | undefined {
  const chunks: Buffer[] = [];
  let position = from;
  for (;;) {
    const lineEnd = buffer.indexOf(CRLF, position);
    if (lineEnd < 0) return undefined;
    const sizeText = buffer.toString('latin1', position, lineEnd).split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new MalformedHttp1Response('bad chunk size', sizeText);
    const size = parseInt(sizeText, 16);
    position = lineEnd + CRLF.length;
    if (size === 0) {
      // Trailers (none expected) up to an empty line.
      const end = buffer.indexOf(CRLF, position);
      if (end < 0) return undefined;
      if (end !== position) {
        const trailersEnd = buffer.indexOf(HEAD_END, position);
        if (trailersEnd < 0) return undefined;
        return [Buffer.concat(chunks), trailersEnd + HEAD_END.length];
      }
      return [Buffer.concat(chunks), end + CRLF.length];
    }
    if (buffer.length < position + size + CRLF.length) return undefined;
    chunks.push(buffer.subarray(position, position + size));
    position += size + CRLF.length;
  }
}

function excerpt(buffer: Buffer): string {
  return buffer.toString('latin1', 0, Math.min(buffer.length, 200));
}
