import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { AnyServerRequest, AnyServerResponse } from '@riffle/wire';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/** The page may load and call only its own origin: the console never fetches anything from elsewhere. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Vite names these after their content: a new build has new names, so they never change under their name. */
const HASHED_ASSETS = '/assets/';

export interface StaticAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** A file to stream as the body, or a body in full. */
  readonly file?: string;
  readonly body?: string;
}

/**
 * The built console: files under `root`, an index fallback for the app's client routes (/streams/foo), and
 * nothing outside `root` whatever the URL encodes.
 */
export class StaticAssets {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async serve(request: AnyServerRequest, response: AnyServerResponse): Promise<void> {
    const answer = await this.answer(request.url ?? '/', { ifNoneMatch: String(request.headers['if-none-match'] ?? ''), accept: String(request.headers.accept ?? '') });
    const headers = { 'X-Content-Type-Options': 'nosniff', ...answer.headers };
    if (request.method === 'HEAD' || answer.status === 304) {
      response.writeHead(answer.status, headers);
      response.end();
      return;
    }
    if (answer.file === undefined) {
      response.writeHead(answer.status, headers);
      response.end(answer.body ?? '');
      return;
    }
    response.writeHead(answer.status, headers);
    const stream = createReadStream(answer.file);
    stream.on('error', () => response.destroy());
    stream.pipe(response as NodeJS.WritableStream);
  }

  /** What a GET of `url` gets; separate from the response for tests. */
  async answer(url: string, { ifNoneMatch = '', accept = '' }: { ifNoneMatch?: string; accept?: string } = {}): Promise<StaticAnswer> {
    const path = pathOf(url);
    if (path === undefined) return text(400, 'Bad request path\n');
    const file = path === '/' ? join(this.root, 'index.html') : join(this.root, path);
    if (file !== this.root && !file.startsWith(this.root + sep)) return text(400, 'Bad request path\n');
    const found = await fileAt(file);
    if (found) return this.fileAnswer(file, found, path.startsWith(HASHED_ASSETS), ifNoneMatch);
    // A client route of the app (/streams/my.stream): the app's page, which routes itself. Asked for by a
    // browser's navigation (Accept: text/html) or without an extension; a missing asset stays a 404.
    if (!path.startsWith(HASHED_ASSETS) && (extname(path) === '' || accept.includes('text/html'))) {
      const index = join(this.root, 'index.html');
      const page = await fileAt(index);
      if (page) return this.fileAnswer(index, page, false, ifNoneMatch);
      return text(503, `The web console is not built (no ${index}): run npm run build.\n`);
    }
    return text(404, 'Not found\n');
  }

  private fileAnswer(file: string, info: { size: number; mtimeMs: number }, hashed: boolean, ifNoneMatch: string): StaticAnswer {
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const headers: Record<string, string> = {
      'Content-Type': type,
      // Hashed assets forever; the page itself is revalidated, so a new build is seen at the next load.
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: etag,
    };
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
    if (ifNoneMatch.split(',').some((tag) => tag.trim() === etag)) return { status: 304, headers };
    return { status: 200, headers: { ...headers, 'Content-Length': String(info.size) }, file };
  }
}

/** The URL's path, decoded; undefined when it cannot be (bad escapes, NUL, backslashes, dot segments). */
function pathOf(url: string): string | undefined {
  const raw = url.split('?')[0]!.split('#')[0]!;
  if (!raw.startsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) return undefined;
  return decoded;
}

async function fileAt(path: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

function text(status: number, body: string): StaticAnswer {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, body };
}
