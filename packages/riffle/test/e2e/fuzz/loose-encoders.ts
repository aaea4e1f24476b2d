/**
 * Encoders that write what a fuzzer asks for, including what no well-behaved encoder would: raw byte
 * fragments spliced into a document (numbers JSON cannot hold, invalid UTF-8, broken CBOR items), CBOR tags,
 * indefinite lengths and non-string map keys.
 */

/** Bytes written verbatim where a value belongs. */
export class RawFragment {
  constructor(readonly bytes: Buffer) {}
}

/** A CBOR tag around a value (JSON writes the value alone). */
export class Tagged {
  constructor(readonly tag: number | bigint, readonly value: unknown) {}
}

/** A CBOR array or map written with an indefinite length (JSON writes it as usual). */
export class Indefinite {
  constructor(readonly value: unknown[] | Record<string, unknown>, readonly withBreak = true) {}
}

/** A CBOR map whose entries are listed pairwise, so keys can be any item and repeat (JSON: keys as strings). */
export class Entries {
  constructor(readonly pairs: ReadonlyArray<readonly [unknown, unknown]>) {}
}

export const raw = (bytes: Buffer | string | number[]) =>
  new RawFragment(Buffer.isBuffer(bytes) ? bytes : typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes));

/** Collects text and raw bytes with few allocations: text is encoded as UTF-8 when bytes interrupt it. */
class Output {
  readonly parts: Buffer[] = [];
  text = '';
  add(text: string): void {
    this.text += text;
  }
  bytes(bytes: Buffer): void {
    if (this.text !== '') {
      this.parts.push(Buffer.from(this.text, 'utf8'));
      this.text = '';
    }
    this.parts.push(bytes);
  }
  done(): Buffer {
    if (this.text !== '') this.parts.push(Buffer.from(this.text, 'utf8'));
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
  }
}

export function encodeLooseJson(value: unknown): Buffer {
  const out = new Output();
  writeJson(value, out, 0);
  return out.done();
}

function writeJson(value: unknown, out: Output, depth: number): void {
  if (depth > 100_000) throw new Error('loose JSON: nested too deeply');
  if (value instanceof RawFragment) return out.bytes(value.bytes);
  if (value instanceof Tagged) return writeJson(value.value, out, depth + 1);
  if (value instanceof Indefinite) return writeJson(value.value, out, depth + 1);
  if (value instanceof Uint8Array) return out.add(JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')));
  if (typeof value === 'bigint') return out.add(value.toString());
  if (typeof value === 'number' && !Number.isFinite(value)) return out.add(String(value));
  if (value === undefined) return out.add('null');
  if (value instanceof Entries) {
    out.add('{');
    value.pairs.forEach(([key, member], index) => {
      if (index > 0) out.add(',');
      out.add(`${JSON.stringify(typeof key === 'string' ? key : String(key))}:`);
      writeJson(member, out, depth + 1);
    });
    return out.add('}');
  }
  if (Array.isArray(value)) {
    out.add('[');
    value.forEach((item, index) => {
      if (index > 0) out.add(',');
      writeJson(item, out, depth + 1);
    });
    return out.add(']');
  }
  if (typeof value === 'object' && value !== null) {
    out.add('{');
    let first = true;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (!first) out.add(',');
      first = false;
      out.add(`${JSON.stringify(key)}:`);
      writeJson((value as Record<string, unknown>)[key], out, depth + 1);
    }
    return out.add('}');
  }
  out.add(JSON.stringify(value));
}

export function encodeLooseCbor(value: unknown): Buffer {
  const parts: Buffer[] = [];
  writeCbor(value, parts, 0);
  return Buffer.concat(parts);
}

/** The head of a CBOR item: major type and argument in the shortest form (or 8 bytes for bigint). */
export function cborHead(major: number, argument: number | bigint): Buffer {
  const base = major << 5;
  if (typeof argument === 'bigint' || argument > 0xffffffff) {
    const head = Buffer.alloc(9);
    head[0] = base | 27;
    head.writeBigUInt64BE(BigInt(argument), 1);
    return head;
  }
  if (argument < 24) return Buffer.from([base | argument]);
  if (argument < 0x100) return Buffer.from([base | 24, argument]);
  if (argument < 0x10000) {
    const head = Buffer.from([base | 25, 0, 0]);
    head.writeUInt16BE(argument, 1);
    return head;
  }
  const head = Buffer.from([base | 26, 0, 0, 0, 0]);
  head.writeUInt32BE(argument, 1);
  return head;
}

const BREAK = Buffer.from([0xff]);

function writeCbor(value: unknown, parts: Buffer[], depth: number): void {
  if (depth > 100_000) throw new Error('loose CBOR: nested too deeply');
  if (value instanceof RawFragment) return void parts.push(value.bytes);
  if (value instanceof Tagged) {
    parts.push(cborHead(6, value.tag));
    return writeCbor(value.value, parts, depth + 1);
  }
  if (value instanceof Indefinite) {
    if (Array.isArray(value.value)) {
      parts.push(Buffer.from([0x9f]));
      for (const item of value.value) writeCbor(item, parts, depth + 1);
    } else {
      parts.push(Buffer.from([0xbf]));
      for (const [key, member] of Object.entries(value.value)) {
        writeCbor(key, parts, depth + 1);
        writeCbor(member, parts, depth + 1);
      }
    }
    if (value.withBreak) parts.push(BREAK);
    return;
  }
  if (value instanceof Entries) {
    parts.push(cborHead(5, value.pairs.length));
    for (const [key, member] of value.pairs) {
      writeCbor(key, parts, depth + 1);
      writeCbor(member, parts, depth + 1);
    }
    return;
  }
  if (value instanceof Uint8Array) return void parts.push(cborHead(2, value.length), Buffer.from(value));
  if (Array.isArray(value)) {
    parts.push(cborHead(4, value.length));
    for (const item of value) writeCbor(item, parts, depth + 1);
    return;
  }
  switch (typeof value) {
    case 'string': {
      const bytes = Buffer.from(value, 'utf8');
      return void parts.push(cborHead(3, bytes.length), bytes);
    }
    case 'boolean':
      return void parts.push(Buffer.from([value ? 0xf5 : 0xf4]));
    case 'undefined':
      return void parts.push(Buffer.from([0xf7]));
    case 'bigint':
      if (value >= 0n) return void parts.push(cborHead(0, value & 0xffffffffffffffffn));
      return void parts.push(cborHead(1, (-1n - value) & 0xffffffffffffffffn));
    case 'number': {
      if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
        return void parts.push(value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value));
      }
      const float = Buffer.alloc(9);
      float[0] = 0xfb;
      float.writeDoubleBE(value, 1);
      return void parts.push(float);
    }
    case 'object':
      if (value === null) return void parts.push(Buffer.from([0xf6]));
      return writeCbor(new Entries(Object.entries(value)), parts, depth);
    default:
      throw new Error(`loose CBOR: cannot encode ${typeof value}`);
  }
}

/** A deep copy of a loose document (fuzz values are shared by arbitraries; mutations must not reach them). */
export function cloneLoose<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneLoose) as T;
  if (value instanceof Entries) return new Entries(value.pairs.map(([key, member]) => [cloneLoose(key), cloneLoose(member)] as const)) as T;
  if (value instanceof Indefinite) return new Indefinite(cloneLoose(value.value), value.withBreak) as T;
  if (value instanceof Tagged) return new Tagged(value.tag, cloneLoose(value.value)) as T;
  if (value instanceof RawFragment || value instanceof Uint8Array) return value;
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      Object.defineProperty(copy, key, { value: cloneLoose(member), enumerable: true, writable: true, configurable: true });
    }
    return copy as T;
  }
  return value;
}
