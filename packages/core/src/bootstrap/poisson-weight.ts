import { fmix32 } from "../random/hash.js";

// P(X ≤ k) for X ~ Poisson(1), scaled to 2³²: a uniform uint32 below THRESHOLDS[k] (and not
// below THRESHOLDS[k − 1]) means weight k. Above k = 12 the tail is < 2⁻³², so 13 entries cover
// every uint32 and the draw is exact Poisson(1) up to 2⁻³² in each probability.
const THRESHOLDS: number[] = (() => {
  const out: number[] = [];
  let term = Math.exp(-1);
  let cdf = 0;
  for (let k = 0; k < 13; k++) {
    cdf += term;
    term /= k + 1;
    out.push(Math.min(2 ** 32, Math.floor(cdf * 2 ** 32)));
  }
  out[12] = 2 ** 32;
  return out;
})();
const T0 = THRESHOLDS[0]!;
const T1 = THRESHOLDS[1]!;
const T2 = THRESHOLDS[2]!;

/**
 * The weight of every u whose top 8 bits are b, at `BY_TOP_BITS[b]`, or `SLOW` where a threshold
 * falls inside that range of u (5 of the 256): `draw` is non-decreasing in u, so where its ends
 * agree every u between them draws the same. One lookup instead of `draw`'s chain of compares,
 * whose branches a CPU cannot predict (weights 0 and 1 each come 37% of the time): the same weights.
 */
const SLOW = 255;
const BY_TOP_BITS = Uint8Array.from({ length: 256 }, (_, b) => {
  const low = draw(b * 2 ** 24);
  return low === draw(b * 2 ** 24 + 2 ** 24 - 1) ? low : SLOW;
});

/** The seed folded to 32 bits (manifest seeds are integers, possibly beyond 2³²). */
export function seedKey(seed: number): number {
  const hi = Math.floor(seed / 2 ** 32);
  return fmix32((seed >>> 0) ^ fmix32(hi + 0x9e3779b9));
}

/** The per-replicate half of the counter: mixes the replicate index with the seed. */
export function replicateKey(seed: number, replicate: number): number {
  return fmix32(Math.imul(replicate + 1, 0x9e3779b9) ^ seedKey(seed));
}

function draw(u: number): number {
  if (u < T0) return 0;
  if (u < T1) return 1;
  if (u < T2) return 2;
  let k = 3;
  while (u >= THRESHOLDS[k]!) k++;
  return k;
}

/**
 * A row's Poisson(1) resampling weight in one bootstrap replicate, from a counter-based hash of
 * (row-id hash, seed, replicate) — no stream state, so it is the same whichever shard, order or
 * batch the row comes in (issue #8). Summing n such weights gives the multinomial bootstrap's
 * row counts in the limit (Hanley & MacGibbon 2006; Chamandy et al. 2012, the Poisson bootstrap).
 *
 * @see https://research.google/pubs/estimating-uncertainty-for-massive-data-streams/
 * @example
 * [0, 1, 2, 3].map((r) => poissonWeight(rowIdHash("c-1"), 7, r)); // [1, 0, 0, 1]
 */
export function poissonWeight(rowHash: number, seed: number, replicate: number): number {
  return draw(fmix32((fmix32((rowHash ^ seedKey(seed)) >>> 0) ^ replicateKey(seed, replicate)) >>> 0));
}

/**
 * The replicate-independent half of {@link poissonWeight}'s hash for every row: `fmix32(rowHash ^
 * seedKey(seed))`, computed once per evaluation so that each replicate mixes only its own key in
 * (see {@link fillPoissonWeights}).
 *
 * @example
 * const mixed = seedMixedHashes(Uint32Array.of(1, 2), 7);
 * fillPoissonWeights(mixed, 7, 0, out, true); // the same weights as fillPoissonWeights(Uint32Array.of(1, 2), 7, 0, out)
 */
export function seedMixedHashes(rowHashes: Uint32Array, seed: number): Uint32Array {
  const sk = seedKey(seed);
  const out = new Uint32Array(rowHashes.length);
  for (let i = 0; i < rowHashes.length; i++) out[i] = fmix32((rowHashes[i]! ^ sk) >>> 0);
  return out;
}

/**
 * {@link poissonWeight} for every row of a replicate into `out` (reused across replicates):
 * the seed and replicate keys are mixed once, not per row. With `mixed`, `rowHashes` are already
 * {@link seedMixedHashes} of the seed (half the hashing per replicate, the same weights).
 *
 * @example
 * const out = new Float64Array(2);
 * fillPoissonWeights(Uint32Array.of(1, 2), 7, 0, out); // out[i] === poissonWeight([1, 2][i], 7, 0)
 */
export function fillPoissonWeights(
  rowHashes: Uint32Array,
  seed: number,
  replicate: number,
  out: Float64Array | Uint8Array,
  mixed = false,
): void {
  const rk = replicateKey(seed, replicate);
  const hashes = mixed ? rowHashes : seedMixedHashes(rowHashes, seed);
  for (let i = 0; i < hashes.length; i++) {
    const u = fmix32((hashes[i]! ^ rk) >>> 0);
    const k = BY_TOP_BITS[u >>> 24]!;
    out[i] = k === SLOW ? draw(u) : k;
  }
}
