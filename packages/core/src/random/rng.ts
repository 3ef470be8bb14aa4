import { hashString } from "./hash.js";

/**
 * A seeded pseudo-random number generator. Every draw is a pure function of the seed and the
 * number of draws before it, so the same seed yields the same sequence on every machine.
 */
export interface Rng {
  /** Uniform in [0, 1), with 32 bits of resolution. */
  next(): number;
  /** Normal with the given mean and standard deviation (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /**
   * Fills `out` with what `out.length` calls of `normal()` would return, in order: the same
   * stream, continued by later calls, for a fraction of the cost per draw.
   */
  normals(out: Float64Array): void;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** One element of `items`, uniformly. Throws on an empty array. */
  pick<T>(items: readonly T[]): T;
  /** An index drawn with probability proportional to `weights[i]` (non-negative, not all zero). */
  weighted(weights: readonly number[]): number;
  /** 1 with probability `p`, else 0. */
  bernoulli(p: number): 0 | 1;
  /** Poisson count with mean `lambda`; see {@link createRng} for the method. */
  poisson(lambda: number): number;
}

/**
 * Hashes a string to a 32-bit seed ({@link hashString}: FNV-1a followed by a murmur3 finaliser), so
 * that seeds such as `"7/eval"` and `"7/train"` give unrelated streams.
 *
 * @example
 * seedFromString("7/eval") // => a fixed unsigned 32-bit integer
 */
export function seedFromString(text: string): number {
  return hashString(text);
}

/**
 * Creates a generator from a numeric or string seed. The core is sfc32 (Chris Doty-Humphrey's
 * small fast counter generator), which passes PractRand and uses only 32-bit integer arithmetic,
 * so results do not depend on the platform's floating point.
 *
 * Poisson draws use Knuth's multiplication method for `lambda < 30` and, above that, a normal
 * approximation rounded to the nearest non-negative integer (the error is negligible for fixture
 * data and it keeps the cost constant).
 *
 * @example
 * const rng = createRng(7);
 * rng.next();        // => a number in [0, 1), identical for seed 7 on every machine
 * rng.int(10);       // => an integer in 0..9
 * rng.pick(["AE", "SA"]);
 */
export function createRng(seed: number | string): Rng {
  const s = typeof seed === "string" ? seedFromString(seed) : seedFromString(`n:${seed}`);
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = s | 0;
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32 needs a few rounds to mix a low-entropy seed.
  for (let i = 0; i < 12; i++) u32();

  const next = (): number => u32() / 4294967296;
  let spare: number | undefined;
  const standardNormal = (): number => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    // 1 - next() lies in (0, 1], so the logarithm is finite.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };

  // `normal()`'s draws, each `0 + z` as there (a zero is +0), without a call per draw.
  const normals = (out: Float64Array): void => {
    let i = 0;
    if (spare !== undefined && out.length > 0) out[i++] = 0 + standardNormal();
    // standardNormal's pairs, inlined: cos then sin of the same two uniforms.
    for (; i + 1 < out.length; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - next()));
      const theta = 2 * Math.PI * next();
      out[i] = 0 + r * Math.cos(theta);
      out[i + 1] = 0 + r * Math.sin(theta);
    }
    if (i < out.length) out[i] = 0 + standardNormal();
  };

  return {
    next,
    normal: (mean = 0, sd = 1) => mean + sd * standardNormal(),
    normals,
    int: (n) => Math.floor(next() * n),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError("pick: empty array");
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted(weights) {
      let total = 0;
      for (const w of weights) total += w;
      let u = next() * total;
      for (let i = 0; i < weights.length; i++) {
        u -= weights[i] ?? 0;
        if (u < 0) return i;
      }
      // Rounding can leave u at exactly zero after the loop: fall back to the last positive weight.
      for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] ?? 0) > 0) return i;
      throw new RangeError("weighted: weights must not all be zero");
    },
    bernoulli: (p) => (next() < p ? 1 : 0),
    poisson(lambda) {
      if (!(lambda > 0)) return 0;
      if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * standardNormal()));
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = next();
      while (p > limit) {
        k++;
        p *= next();
      }
      return k;
    },
  };
}
