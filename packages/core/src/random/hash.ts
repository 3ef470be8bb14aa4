/**
 * murmur3's 32-bit finaliser: a bijection on uint32 whose every output bit depends on every input bit.
 *
 * @see https://github.com/aappleby/smhasher/wiki/MurmurHash3
 * @example
 * fmix32(0); // 0
 * fmix32(1); // 1364076727
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit hash of a string: FNV-1a over its UTF-16 code units, then {@link fmix32} (FNV-1a alone
 * leaves the low bits of similar strings alike). Row ids (`rowIdHash`, which shards and bootstrap
 * weights follow) and string seeds (`seedFromString`) are both this hash.
 *
 * @see http://www.isthe.com/chongo/tech/comp/fnv/index.html
 * @example
 * hashString("customer-42"); // 2807919948
 */
export function hashString(text: string): number {
  return fmix32(fnvUnits(FNV_OFFSET, text));
}

/** FNV-1a's 32-bit offset basis: the state {@link hashString} starts from. */
export const FNV_OFFSET = 0x811c9dc5;
/** FNV-1a's 32-bit prime: each step is `h = Math.imul(h ^ unit, FNV_PRIME)`. */
export const FNV_PRIME = 0x01000193;

/**
 * FNV-1a state `h` carried on over the UTF-16 code units of `text`, not finalised: so a hash of
 * joined texts can be built part by part (a reader hashing key cells without joining them), and
 * `fmix32(fnvUnits(FNV_OFFSET, text))` is {@link hashString}.
 *
 * @example
 * fmix32(fnvUnits(fnvUnits(FNV_OFFSET, "customer-"), "42")) === hashString("customer-42"); // true
 */
export function fnvUnits(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}
