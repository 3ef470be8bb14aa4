import { hashString } from "../random/hash.js";

export { fmix32 } from "../random/hash.js";

/**
 * A 32-bit hash of a row id (the manifest's `data.key` value, as text): {@link hashString}, FNV-1a
 * over UTF-16 code units, then murmur3's finaliser. Every shard hashes the same id to the same number, which is what
 * makes bootstrap weights independent of sharding. Among a million ids about a hundred pairs
 * collide and so share their resampling weights; the effect on an interval is far below its
 * Monte Carlo error.
 *
 * @see http://www.isthe.com/chongo/tech/comp/fnv/index.html
 * @example
 * rowIdHash("customer-42"); // 2807919948
 */
export function rowIdHash(id: string): number {
  return hashString(id);
}
