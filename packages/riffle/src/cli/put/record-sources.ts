import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CliError } from '../cli-error.js';
import { splitLines } from './line-splitter.js';

/** One record's text before decoding, and where it came from (for error messages: `line 17 of data.txt`). */
export interface RawRecord {
  readonly text: Buffer;
  readonly origin: string;
}

/** Where records are read from, in order: an argument's text, a file or standard input. */
export type RecordSource =
  | { readonly kind: 'argument'; readonly text: string; readonly position: number }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdin' };

export interface SourceOptions {
  /** One record a file (or all of stdin) instead of one a line. */
  readonly wholeFile: boolean;
  readonly stdin: Readable;
}

const STDIN = 'stdin';

async function* fileLines(chunks: AsyncIterable<Buffer | string>, name: string): AsyncGenerator<RawRecord> {
  for await (const line of splitLines(chunks)) {
    // Empty lines (a blank line, a trailing newline's "line") are no records.
    if (line.bytes.length > 0) yield { text: line.bytes, origin: `line ${line.lineNumber} of ${name}` };
  }
}

async function wholeStream(chunks: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(parts);
}

function openFile(path: string): AsyncIterable<Buffer> {
  const stream = createReadStream(path);
  return (async function* () {
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (error) {
      throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
    }
  })();
}

/** Every record of the sources, read as they are consumed: a large file or stdin is never held whole in line mode. */
export async function* readRecords(sources: readonly RecordSource[], options: SourceOptions): AsyncGenerator<RawRecord> {
  for (const source of sources) {
    if (source.kind === 'argument') {
      yield { text: Buffer.from(source.text), origin: `argument ${source.position}` };
      continue;
    }
    const name = source.kind === 'stdin' ? STDIN : source.path;
    if (options.wholeFile) {
      const text =
        source.kind === 'stdin'
          ? await wholeStream(options.stdin)
          : await readFile(source.path).catch((error: Error) => {
              throw new CliError(`cannot read ${source.path}: ${error.message}`);
            });
      yield { text, origin: name };
    } else {
      yield* fileLines(source.kind === 'stdin' ? options.stdin : openFile(source.path), name);
    }
  }
}
