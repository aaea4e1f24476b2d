import { crc32c as nativeCrc32c } from '@node-rs/crc32';

/** CRC-32C (Castagnoli) of bytes[start, end), hardware-accelerated where the CPU has it. */
export function crc32c(bytes: Buffer, start = 0, end = bytes.length): number {
  const slice = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
  return nativeCrc32c(slice) >>> 0;
}
