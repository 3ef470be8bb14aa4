import { gaussianMaxima } from "../bootstrap/gaussian-maxima.js";
import { createRng } from "../random/rng.js";
import { normalCdf, normalQuantile } from "../stats/normal.js";

/** Draws of the groups' joint normal errors for a rate of three or more groups (seeded). */
export const MAX_T_DRAWS = 20_000;

/**
 * Up to this many groups of one rate, the least favourable true rates are searched over every
 * split of the groups (2^(k−1) − 1 of them); above it, the limit's help is given up and the
 * critical value is the plain max-|T| one (valid, a little conservative).
 */
export const MAX_T_SPLIT_GROUPS = 6;

/**
 * The critical value z of a `max-gap` rule with confidence decided pair by pair (see
 * `pairwiseDecision`): the smallest z such that, whatever the true rates are within the rule's
 * null "every rate's gap ≤ L", the chance that some pair's |p̂_g − p̂_h| − z·se_gh exceeds L is at
 * most `alpha`. A single-step max-T adjustment (Hothorn, Bretz & Westfall 2008, "Simultaneous
 * inference in general parametric models", Biometrical Journal 50(3), §3; Westfall & Young 1993):
 * the pairs' standardised differences are taken jointly, with the covariance their shared groups
 * give them (the groups are disjoint rows, so cov(p̂_g − p̂_h, p̂_g − p̂_k) = var p̂_g), instead
 * of one Bonferroni term per pair; `rates` are independent of each other (equalized odds' recall
 * and false-positive rate are measured on the positives and on the negatives, disjoint rows).
 *
 * The limit is used too. The chance of passing is log-concave in the true rates (a Gaussian
 * convolved with the convex acceptance set; Prékopa 1973), so over the null — a polytope once the
 * rates' common level is fixed — it is smallest at a vertex: every group at one of two levels L
 * apart (a split S of the groups into the higher and the lower). At a split a pair across it fails
 * on one side when its error exceeds z·se and on the other only beyond 2L + z·se, a pair within
 * it beyond L + z·se. So z is the 1 − alpha quantile of the least favourable split's maximum,
 * with the rates' chances of passing multiplied (independent): with L = 0 this is the two-sided
 * max-|T| value (one pair: Φ⁻¹(1 − α/2); k independent pairs: Šidák's), and when L is many
 * standard errors it tends to the one-sided value (one pair: Φ⁻¹(1 − α)). A rate of two groups
 * is computed exactly (Φ(−z) + Φ(−z − 2L/se) = α); of three or more by `MAX_T_DRAWS` seeded
 * draws of the groups' normal errors (the same draws for every split and z, so z is a fixed
 * function of the inputs and falls as L grows); above `MAX_T_SPLIT_GROUPS` groups without the
 * limit's help (`gaussianMaxima`, the max-|T| law the change rules' sup-t intervals use). Never above Bonferroni's Φ⁻¹(1 − α / 2m) over the m pairs, which holds whatever
 * the correlation (the simulated value is capped there).
 *
 * @param rates each rate's groups' standard errors
 * @param alpha the rule's error rate: (1 − level) / the report's rules with confidence
 * @param limit the rule's `max-gap` (≥ 0)
 * @example
 * maxTCritical([[0.01, 0.01]], 0.05, 0);   // 1.95996 (Φ⁻¹(0.975))
 * maxTCritical([[0.01, 0.01]], 0.05, 0.1); // 1.64485 (Φ⁻¹(0.95): the far side is 7 se away)
 * maxTCritical([[0.02, 0.02, 0.02]], 0.05, 0); // ≈ 2.34 (Tukey's three groups; Bonferroni 2.39)
 */
export function maxTCritical(rates: readonly (readonly number[])[], alpha: number, limit: number): number {
  const pairs = rates.reduce((sum, r) => sum + (r.length * (r.length - 1)) / 2, 0);
  const bonferroni = normalQuantile(1 - alpha / (2 * Math.max(1, pairs)));
  // Some pair fails on its near side alone beyond Φ⁻¹(1 − α) at the least favourable split, so z
  // is at least that; the draws are only sorted above it.
  const floor = Math.min(bonferroni, normalQuantile(1 - Math.min(alpha, 0.5)));
  const passing = rates.filter((r) => r.length >= 2).map((r) => passChance(r, limit, floor));
  const pass = (z: number) => passing.reduce((p, f) => p * f(z), 1);
  if (pass(bonferroni) < 1 - alpha) return bonferroni;
  if (pass(floor) >= 1 - alpha) return floor;
  let lo = floor;
  let hi = bonferroni;
  for (let i = 0; i < 60 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (pass(mid) >= 1 - alpha) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * z ↦ the smallest chance, over the null's vertices, that no pair of one rate's groups fails
 * (exact for z ≥ `floor`, the only values asked).
 */
function passChance(se: readonly number[], limit: number, floor: number): (z: number) => number {
  const k = se.length;
  // In ascending order, so that the draws (and z) do not depend on the order the groups came in.
  se = [...se].sort((a, b) => a - b);
  if (k === 2) {
    const s = Math.hypot(se[0]!, se[1]!);
    if (s === 0) return () => 1;
    return (z) => 1 - normalCdf(-z) - normalCdf(-z - (2 * limit) / s);
  }
  const pairs: [number, number][] = [];
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) pairs.push([a, b]);
  if (k > MAX_T_SPLIT_GROUPS) {
    // The limit ignored: max |T| over the pairs, whose covariance their shared groups give.
    const covariance = Float64Array.from({ length: pairs.length ** 2 }, (_, i) => {
      const [a, b] = pairs[Math.floor(i / pairs.length)]!;
      const [c, d] = pairs[i % pairs.length]!;
      const v = (g: number) => se[g]! ** 2;
      return (a === c ? v(a) : 0) - (a === d ? v(a) : 0) - (b === c ? v(b) : 0) + (b === d ? v(b) : 0);
    });
    const maxima = gaussianMaxima(covariance, MAX_T_DRAWS, "fairness max-T");
    return (z) => atMost(maxima, z) / MAX_T_DRAWS;
  }
  // Pair by pair (rows of MAX_T_DRAWS), its standardised error u = (ε_a − ε_b) / se_ab in every
  // draw; a pair whose groups have no error never fails by chance.
  const N = MAX_T_DRAWS;
  const z = standardNormals(N * k);
  const u = pairs.map(() => new Float64Array(N));
  const reach = new Float64Array(pairs.length);
  pairs.forEach(([a, b], c) => {
    const s = Math.hypot(se[a]!, se[b]!);
    const row = u[c]!;
    reach[c] = s === 0 ? 0 : limit / s;
    if (s === 0) row.fill(Number.NEGATIVE_INFINITY);
    else for (let d = 0; d < N; d++) row[d] = (se[a]! * z[d * k + a]! - se[b]! * z[d * k + b]!) / s;
  });
  // Each split once (the last group always lower; a split and its mirror image fail alike).
  const splits = Array.from({ length: 2 ** (k - 1) - 1 }, (_, s) => s + 1);
  const worst = new Float64Array(N);
  const maxima = splits.map((split) => {
    worst.fill(Number.NEGATIVE_INFINITY);
    pairs.forEach(([a, b], c) => {
      raiseWorst(worst, u[c]!, reach[c]!, ((split >> a) & 1) - ((split >> b) & 1));
    });
    const tail: number[] = [];
    for (let d = 0; d < N; d++) if (worst[d]! > floor) tail.push(worst[d]!);
    return Float64Array.from(tail).sort();
  });
  // The draws not in the tail are at most `floor`, so at most any z asked.
  return (z) => Math.min(...maxima.map((t) => (N - t.length + atMost(t, z)) / N));
}

/**
 * Raises each draw's `worst` to the z from which a pair with standardised errors `u` (the limit
 * `reach` standard errors away) fails: across a split (side ±1: true difference ±L) on the near
 * side at u·side > z, on the far side at −u·side > 2L/se + z; within a side (true difference 0)
 * at |u| > L/se + z.
 */
function raiseWorst(worst: Float64Array, u: Float64Array, reach: number, side: number): void {
  if (side === 0) {
    for (let d = 0; d < u.length; d++) {
      const excess = Math.abs(u[d]!) - reach;
      if (excess > worst[d]!) worst[d] = excess;
    }
    return;
  }
  for (let d = 0; d < u.length; d++) {
    const near = u[d]! * side;
    const excess = near > -near - 2 * reach ? near : -near - 2 * reach;
    if (excess > worst[d]!) worst[d] = excess;
  }
}

let normals = new Float64Array(0);

/**
 * The first `count` standard normal draws of one fixed seed: every critical value reads the same
 * ones (memoised; a pure function of `count`).
 */
function standardNormals(count: number): Float64Array {
  if (normals.length < count) {
    const rng = createRng("fairness max-T");
    normals = Float64Array.from({ length: Math.max(count, 2 * normals.length) }, () => rng.normal());
  }
  return normals;
}

/** How many of ascending `sorted` are ≤ z. */
function atMost(sorted: Float64Array, z: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= z) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
