// Redis Cluster hash slots: CRC16 (XMODEM) of the key, or of its `{hash tag}`,
// modulo 16384, as in the cluster specification. Written here (about 30 lines)
// rather than imported from ioredis's internal `cluster-key-slot` dependency,
// which is not a dependency of this package and may change with ioredis.

const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let crc = i << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
  TABLE[i] = crc & 0xffff;
}

const encoder = new TextEncoder();

/** The number of hash slots of a Redis or Valkey cluster. */
export const SLOT_COUNT = 16384;

/** CRC16/XMODEM of `bytes[start, end)`. */
export function crc16(bytes: Uint8Array, start = 0, end: number = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[(crc >> 8) ^ bytes[i]!]!;
  return crc;
}

/**
 * The cluster hash slot of a key: the CRC16 of its UTF-8 bytes, or of the
 * first non-empty `{...}` hash tag in it, modulo 16384.
 */
export function keySlot(key: string): number {
  const bytes = encoder.encode(key);
  const open = bytes.indexOf(0x7b); // {
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1); // }
    if (close > open + 1) return crc16(bytes, open + 1, close) % SLOT_COUNT;
  }
  return crc16(bytes) % SLOT_COUNT;
}

/**
 * Groups positions of `names` by hash slot, keeping their order within each
 * slot, so each group can be sent as one multi-key command.
 *
 * @returns The positions (indices into `names`) of each slot's names.
 */
export function groupBySlot(names: readonly string[]): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < names.length; i++) {
    const slot = keySlot(names[i]!);
    const group = groups.get(slot);
    if (group) group.push(i);
    else groups.set(slot, [i]);
  }
  return [...groups.values()];
}
