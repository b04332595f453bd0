/**
 * Independent CRC-64/XZ: byte-wise table with BigInt, straight from the definition
 * (poly 0x42F0E1EBA9EA3693 reflected = 0xC96C5795D7870F42, init and xorout all ones).
 */
const REF_TABLE: bigint[] = Array.from({ length: 256 }, (_, b) => {
  let c = BigInt(b);
  for (let i = 0; i < 8; i++) c = c & 1n ? (c >> 1n) ^ 0xc96c5795d7870f42n : c >> 1n;
  return c;
});
export function crc64Reference(data: Uint8Array): string {
  let crc = 0xffffffffffffffffn;
  for (const byte of data) crc = REF_TABLE[Number((crc ^ BigInt(byte)) & 0xffn)]! ^ (crc >> 8n);
  return (crc ^ 0xffffffffffffffffn).toString();
}
