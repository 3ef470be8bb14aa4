/** One comparison of a family: its point change and its paired bootstrap replicates. */
export interface FamilyMember {
  /** The point estimate (candidate − baseline). */
  point: number;
  /** Replicate values of the same change, `NaN` where a replicate leaves it undefined. */
  replicates: Float64Array;
  /** The change's possible range (e.g. [−1, 1] for a difference of two AUCs): intervals are cut to it. */
  range: [number, number];
}

/** The simultaneous intervals of a family, in its order, and the critical value they share. */
export interface SupTIntervals {
  /** `null` where a member has fewer than two defined replicates. */
  ci: ([number, number] | null)[];
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
export function supTIntervals(family: readonly FamilyMember[], confidence: number): SupTIntervals {
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
  const critical = count === 0 ? 0 : typeQuantile(head, confidence);
  let members = 0;
  const ci = family.map((m, c): [number, number] | null => {
    const s = se[c]!;
    if (Number.isNaN(s)) return null;
    members++;
    const low = Math.max(m.range[0], Math.min(m.point, m.point - critical * s));
    const high = Math.min(m.range[1], Math.max(m.point, m.point + critical * s));
    return [low, high];
  });
  return { ci, critical, members };
}

/** The sample standard deviation of the defined values; `NaN` with fewer than two. */
function standardDeviation(values: Float64Array): number {
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
