import { createHash } from 'node:crypto';

/** Stream names are file-store directory names: keep them well under the file system's 255 bytes. */
const MAX_STREAM_NAME = 200;

/**
 * One subject token from any string: ASCII letters and digits kept, every other UTF-8 byte as `_XX`, so that
 * tokens never hold `.`, `*`, `>`, `-` or whitespace and decode back exactly.
 */
export function encodeToken(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const isAlnum = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
    out += isAlnum ? String.fromCharCode(byte) : `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function decodeToken(token: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '_') {
      bytes.push(parseInt(token.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(token.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Where one store's names live; lets several Riffle deployments (or tests) share a JetStream cluster. */
export class NatsNames {
  constructor(readonly prefix: string) {
    if (!/^[A-Za-z0-9_]+$/.test(prefix)) throw new Error(`invalid NATS name prefix ${JSON.stringify(prefix)}: use letters, digits and _`);
  }

  /** `<prefix>.log.<stream key>.<shard id>`: the one subject of a shard log's JetStream stream. */
  logSubject(streamKey: string, shardId: string): string {
    return `${this.prefix}.log.${encodeToken(streamKey)}.${encodeToken(shardId)}`;
  }

  /** Every log subject of one stream key, or of all of them. */
  logSubjects(streamKey?: string): string {
    return streamKey === undefined ? `${this.prefix}.log.>` : `${this.prefix}.log.${encodeToken(streamKey)}.*`;
  }

  /** The stream key a log subject names, or undefined for a subject that is not one. */
  streamKeyOf(subject: string): string | undefined {
    const tokens = subject.split('.');
    if (tokens.length !== 4 || tokens[0] !== this.prefix || tokens[1] !== 'log') return undefined;
    return decodeToken(tokens[2]!);
  }

  /** Readable where it fits; a long stream key (names up to 128 characters, escaped) gets a hash instead. */
  logStreamName(streamKey: string, shardId: string): string {
    const readable = `${this.prefix}-log-${encodeToken(streamKey)}-${encodeToken(shardId)}`;
    if (readable.length <= MAX_STREAM_NAME) return readable;
    const hash = createHash('sha256').update(this.logSubject(streamKey, shardId)).digest('hex').slice(0, 40);
    return `${this.prefix}-log-h${hash}`;
  }

  /** Where the nodes of one store tell each other their data-plane use (core NATS, not stored). */
  get usageSubject(): string {
    return `${this.prefix}.usage`;
  }

  /** Where the nodes of one store say they are there (NatsAppendRouter). */
  get nodesSubject(): string {
    return `${this.prefix}.nodes`;
  }

  /** `<prefix>.append.<node>`: appends sent to the node that writes their log. */
  get appendSubjectPrefix(): string {
    return `${this.prefix}.append`;
  }

  get metadataBucket(): string {
    return `${this.prefix}-metadata`;
  }
}
