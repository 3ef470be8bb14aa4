/**
 * Row → group indices, one byte each while there are at most 256 groups, two up to 65,536, four
 * beyond: with 10M rows and 11 groupings that is 110 MB instead of 440 MB.
 */
export type GroupIds = Uint8Array | Uint16Array | Uint32Array;

/**
 * A zeroed array for `length` group indices below `groups`, in the narrowest type that holds them;
 * with `shared`, in a `SharedArrayBuffer` that worker threads read without a copy.
 *
 * @example
 * groupIdArray(3, 48); // Uint8Array [0, 0, 0]
 * groupIdArray(3, 1001); // Uint16Array [0, 0, 0]
 */
export function groupIdArray(length: number, groups: number, shared = false): GroupIds {
  const bytes = groups <= 0x100 ? 1 : groups <= 0x10000 ? 2 : 4;
  const buffer = shared ? new SharedArrayBuffer(length * bytes) : new ArrayBuffer(length * bytes);
  if (bytes === 1) return new Uint8Array(buffer);
  if (bytes === 2) return new Uint16Array(buffer);
  return new Uint32Array(buffer);
}

/**
 * `ids` when it can hold index `id`, else a copy of it in a type wide enough (its values kept).
 *
 * @example
 * widenGroupIds(Uint8Array.of(1, 2), 300); // Uint16Array [1, 2]
 */
export function widenGroupIds(ids: GroupIds, id: number): GroupIds {
  if (id < 2 ** (8 * ids.BYTES_PER_ELEMENT)) return ids;
  const wider = groupIdArray(ids.length, id + 1);
  wider.set(ids);
  return wider;
}
