/**
 * Row → group indices, one byte each while there are at most 256 groups, two up to 65,536, four
 * beyond: with 10M rows and 11 groupings that is 110 MB instead of 440 MB.
 */
export type GroupIds = Uint8Array | Uint16Array | Uint32Array;

/**
 * A zeroed array for `length` group indices below `groups`, in the narrowest type that holds them.
 *
 * @example
 * groupIdArray(3, 48); // Uint8Array [0, 0, 0]
 * groupIdArray(3, 1001); // Uint16Array [0, 0, 0]
 */
export function groupIdArray(length: number, groups: number): GroupIds {
  if (groups <= 0x100) return new Uint8Array(length);
  if (groups <= 0x10000) return new Uint16Array(length);
  return new Uint32Array(length);
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
