/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as the event-stream prelude and message checksums use. */
const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index++) {
    let value = index;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    table[index] = value >>> 0;
  }
  return table;
}

/** Checksum of `bytes[start, end)`; pass a previous result as `seed` to continue over several pieces. */
export function crc32(bytes: Uint8Array, seed = 0, start = 0, end = bytes.length): number {
  let crc = (seed ^ 0xffffffff) >>> 0;
  for (let index = start; index < end; index++) crc = TABLE[(crc ^ bytes[index]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
