import { HashSet52 } from "../validate/hash-set52.js";
import { Hasher52 } from "../validate/hash52.js";

/** Remembers request ids seen so far, in 8 bytes per id. */
export interface RequestIdFilter {
  /** True the first time `id` is offered; false (and counted) for every repeat. */
  first(id: string): boolean;
  /** Repeats refused so far. */
  readonly duplicates: number;
  /** The first few repeated ids, for the report. */
  readonly examples: readonly string[];
}

const EXAMPLES = 5;

/**
 * Keeps the first occurrence of each request id and counts the rest (client retries logged twice).
 * Ids are held as 52-bit hashes in an open-addressing typed array, so five million ids cost about
 * 64 MB rather than the gigabytes a `Set<string>` would; two distinct ids collide with probability
 * about n² / 2⁵³ (≈ 0.3% over five million), which at worst drops one request from the comparison.
 *
 * @example
 * const ids = createRequestIdFilter();
 * ids.first("req-1"); // true
 * ids.first("req-1"); // false
 * ids.duplicates; // 1
 */
export function createRequestIdFilter(initialCapacity = 1 << 16): RequestIdFilter {
  const seen = new HashSet52(initialCapacity);
  const hasher = new Hasher52();
  const examples: string[] = [];
  let duplicates = 0;
  return {
    first(id) {
      hasher.reset();
      hasher.addString(id);
      if (seen.add(hasher.digest())) return true;
      duplicates++;
      if (examples.length < EXAMPLES && !examples.includes(id)) examples.push(id);
      return false;
    },
    get duplicates() {
      return duplicates;
    },
    get examples() {
      return examples;
    },
  };
}
