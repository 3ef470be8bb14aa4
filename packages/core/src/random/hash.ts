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
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix32(h);
}
