import { chiSquareSf } from "./chi-square-sf.js";
import { logGamma } from "./log-gamma.js";

/** The sample-ratio-mismatch test of two arms' request counts against the configured share. */
export interface SampleRatioTest {
  /** Requests served by the new version and in total. */
  treated: number;
  total: number;
  /** The share the new version should serve. */
  expected: number;
  /** The observed share; `null` without requests. */
  observed: number | null;
  /** Always-valid p-value: 1 / Bayes factor, capped at 1 (valid however often the test looks). */
  pValue: number;
  /** Pearson's chi-square p-value of this one look (for reference; not valid under repeated looks). */
  chiSquarePValue: number;
  mismatch: boolean;
}

/** Prior concentration of the mixture around the expected share (a Beta(k·p, k·(1−p)) prior). */
const CONCENTRATION = 100;

const logBeta = (a: number, b: number): number => logGamma(a) + logGamma(b) - logGamma(a + b);

/**
 * Sequential sample-ratio-mismatch test: the Bayes factor of a Beta-binomial mixture against the
 * configured share p is a test martingale under p (Lindon & Malek 2022, "Anytime-valid inference
 * for multinomial count data", the two-arm case of their Dirichlet-multinomial test), so
 * rejecting when it exceeds 1/alpha keeps the false-alarm rate at alpha however often the
 * canary check runs. The one-look chi-square p-value (scipy.stats.chisquare) is reported beside
 * it. Degenerate cases: no requests → p-value 1, no mismatch; expected share 1 (production) →
 * a mismatch only when some request went elsewhere.
 *
 * @example
 * sequentialSrm(480, 10_000, 0.05, 0.001).mismatch; // false (4.8% against 5%)
 * sequentialSrm(300, 10_000, 0.05, 0.001).mismatch; // true (3% against 5%)
 */
export function sequentialSrm(
  treated: number,
  total: number,
  expected: number,
  alpha: number,
): SampleRatioTest {
  const base = { treated, total, expected, observed: total > 0 ? treated / total : null };
  if (total === 0) return { ...base, pValue: 1, chiSquarePValue: 1, mismatch: false };
  if (expected >= 1) {
    const mismatch = treated < total;
    return { ...base, pValue: mismatch ? 0 : 1, chiSquarePValue: mismatch ? 0 : 1, mismatch };
  }
  const a = CONCENTRATION * expected;
  const b = CONCENTRATION * (1 - expected);
  const logBayes =
    logBeta(a + treated, b + total - treated) -
    logBeta(a, b) -
    treated * Math.log(expected) -
    (total - treated) * Math.log(1 - expected);
  const pValue = Math.min(1, Math.exp(-logBayes));
  const e1 = total * expected;
  const e0 = total - e1;
  const chi = (treated - e1) ** 2 / e1 + (total - treated - e0) ** 2 / e0;
  return { ...base, pValue, chiSquarePValue: chiSquareSf(chi, 1), mismatch: pValue <= alpha };
}
