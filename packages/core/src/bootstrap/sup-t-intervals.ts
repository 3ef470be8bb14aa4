/** One comparison of a family: its point change and its paired bootstrap replicates. */
export interface FamilyMember {
  /** The point estimate (candidate − baseline). */
  point: number;
  /** Replicate values of the same change, `NaN` where a replicate leaves it undefined. */
  replicates: Float64Array;
  /** The change's possible range (e.g. [−1, 1] for a difference of two AUCs): intervals are cut to it. */
  range: [number, number];
}

/**
 * Comparisons whose joint law is taken as Gaussian (one large group's changes, see
 * `influenceMoments`): their standard errors and the sorted simulated maxima of their |Z|
 * (`gaussianMaxima`).
 */
export interface GaussianBlock {
  members: readonly { point: number; se: number; range: [number, number] }[];
  /** Ascending maxima of |Zₖ| over the members, Z drawn from their correlation matrix. */
  maxima: Float64Array;
}

/** The simultaneous intervals of a family, in its order, and the critical value they share. */
export interface SupTIntervals {
  /** `null` where a member has fewer than two defined replicates. */
  ci: ([number, number] | null)[];
  /** Per Gaussian block, its members' intervals in their order. */
  blocks: [number, number][][];
  /** The bootstrap quantile of the largest standardised deviation (`1.96` would be one test alone). */
  critical: number;
  /** Members that took part (those with an interval). */
  members: number;
}

/**
 * Simultaneous confidence intervals for a family of changes from their joint bootstrap
 * distribution: the sup-t band (Montiel Olea & Plagborg-Møller 2019, "Simultaneous confidence
 * bands", J. Appl. Econometrics 34(1); the single-step max-T of Westfall & Young 1993, ch. 2).
 * Each member's standard error `se` is the standard deviation of its replicates; in each replicate
 * the largest `|replicate − point| / se` over the family is taken, and `c`, the `confidence`
 * quantile of those maxima, gives every member `point ± c · se`. All intervals then cover their
 * true changes together with probability `confidence` (asymptotically), so when the two models
 * perform the same everywhere, the chance that *any* interval excludes 0 is at most `1 − confidence`,
 * however many metrics and slices the report has — what deciding "significant regression" on
 * per-test intervals does not give (with 45 tests at 2.5% each, about a third of such reports
 * showed one). A member whose replicates do not vary (`se = 0`, e.g. constant scores) gets
 * `[point, point]` and does not enter the maximum. Intervals are cut to the member's range and
 * always contain the point.
 *
 * @see https://doi.org/10.1002/jae.2656
 * @example
 * supTIntervals([{ point: 0.01, replicates, range: [-1, 1] }, ...], 0.95);
 * // { ci: [[-0.012, 0.032], ...], critical: 2.9, members: 40 }
 */
export function supTIntervals(
  family: readonly FamilyMember[],
  confidence: number,
  blocks: readonly GaussianBlock[] = [],
): SupTIntervals {
  const se = family.map((m) => standardDeviation(m.replicates));
  const replicates = family.reduce((r, m) => Math.max(r, m.replicates.length), 0);
  const maxima = new Float64Array(replicates);
  let count = 0;
  for (let r = 0; r < replicates; r++) {
    let max = -1;
    family.forEach((m, c) => {
      const s = se[c]!;
      const v = m.replicates[r];
      if (!(s > 0) || v === undefined || Number.isNaN(v)) return;
      const t = Math.abs(v - m.point) / s;
      if (t > max) max = t;
    });
    if (max >= 0) maxima[count++] = max;
  }
  const head = maxima.subarray(0, count).sort();
  const critical =
    blocks.length === 0
      ? count === 0
        ? 0
        : typeQuantile(head, confidence)
      : jointCritical(head, blocks, confidence);
  let members = 0;
  const ci = family.map((m, c): [number, number] | null => {
    const s = se[c]!;
    if (Number.isNaN(s)) return null;
    members++;
    return band(m.point, critical * s, m.range);
  });
  const blockCi = blocks.map((b) =>
    b.members.map((m) => {
      members++;
      return band(m.point, critical * m.se, m.range);
    }),
  );
  return { ci, blocks: blockCi, critical, members };
}

/** `point ± half` cut to `range`, always holding the point. */
function band(point: number, half: number, range: [number, number]): [number, number] {
  return [
    Math.max(range[0], Math.min(point, point - half)),
    Math.min(range[1], Math.max(point, point + half)),
  ];
}

/**
 * The critical value shared by bootstrap members (ascending replicate maxima `boot`, possibly
 * none) and Gaussian blocks: the smallest c with
 * `(1 − F_boot(c)) + (1 − Πₖ F_k(c)) ≤ 1 − confidence`, F the empirical distribution functions of
 * the maxima. The product over blocks bounds the chance that no block exceeds c for any
 * correlation between blocks (the Gaussian correlation inequality, Royen 2014, arXiv:1408.1028;
 * for symmetric slabs Šidák 1967), so it ignores only the positive dependence between groups that
 * share rows (overall and a slice, slices of two specs) and errs on the conservative side; the sum
 * with the bootstrap block's exceedance is the union bound, valid whatever their dependence.
 */
function jointCritical(boot: Float64Array, blocks: readonly GaussianBlock[], confidence: number): number {
  const cdf = (sorted: Float64Array, c: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= c) lo = mid + 1;
      else hi = mid;
    }
    return lo / sorted.length;
  };
  const miss = (c: number) => {
    let inside = 1;
    for (const b of blocks) if (b.maxima.length > 0) inside *= cdf(b.maxima, c);
    return (boot.length > 0 ? 1 - cdf(boot, c) : 0) + (1 - inside);
  };
  let high = boot.length > 0 ? boot[boot.length - 1]! : 0;
  for (const b of blocks) if (b.maxima.length > 0) high = Math.max(high, b.maxima[b.maxima.length - 1]!);
  let low = 0;
  if (miss(low) <= 1 - confidence) return 0;
  // miss is a non-increasing step function with miss(high) = 0: bisect to its last jump above 1 − confidence.
  for (let i = 0; i < 100 && high - low > 1e-12 * Math.max(1, high); i++) {
    const mid = (low + high) / 2;
    if (miss(mid) <= 1 - confidence) high = mid;
    else low = mid;
  }
  return high;
}

/** The sample standard deviation of the defined values; `NaN` with fewer than two. */
export function standardDeviation(values: Float64Array): number {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
  }
  return n < 2 ? Number.NaN : Math.sqrt(m2 / (n - 1));
}

/** The q-quantile of ascending `sorted` (type 7, as `percentileInterval`). */
function typeQuantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a === b ? a : a + (b - a) * (h - lo);
}
