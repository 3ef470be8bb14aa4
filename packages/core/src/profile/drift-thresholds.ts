/** A drift score's method, as chosen (never `auto`). */
export type DriftMethod = "psi" | "ks" | "wasserstein" | "jensen-shannon" | "chi-square";

/** Warn and alert limits for a drift score, and where they came from. */
export interface DriftThresholds {
  warn: number;
  alert: number;
  source: "options" | "reference chunks" | "default";
}

/**
 * Limits used when neither options nor reference chunks give any: the usual readings of each
 * effect size. PSI 0.1 / 0.25 (the credit-scoring rule of thumb); Cramér's V 0.1 / 0.3 (Cohen's
 * small and medium effects); 0.1 / 0.2 for the bounded distances (KS D, Jensen–Shannon) and for
 * Wasserstein in reference standard deviations.
 *
 * @example
 * DEFAULT_THRESHOLDS.psi; // { warn: 0.1, alert: 0.25 }
 */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftMethod, { warn: number; alert: number }>> = {
  psi: { warn: 0.1, alert: 0.25 },
  ks: { warn: 0.1, alert: 0.2 },
  wasserstein: { warn: 0.1, alert: 0.2 },
  "jensen-shannon": { warn: 0.1, alert: 0.2 },
  "chi-square": { warn: 0.1, alert: 0.3 },
};

/**
 * Smallest limits derived thresholds may take: effects below these are negligible in practice, so
 * a very stable reference (whose chunks barely differ) does not turn every wobble into an alert.
 *
 * @example
 * MIN_THRESHOLDS.wasserstein; // { warn: 0.02, alert: 0.05 }
 */
export const MIN_THRESHOLDS: Readonly<Record<DriftMethod, { warn: number; alert: number }>> = {
  psi: { warn: 0.02, alert: 0.05 },
  ks: { warn: 0.02, alert: 0.05 },
  wasserstein: { warn: 0.02, alert: 0.05 },
  "jensen-shannon": { warn: 0.02, alert: 0.05 },
  "chi-square": { warn: 0.02, alert: 0.05 },
};

/** How much larger than the worst chunk-vs-rest score the warn and alert limits are. */
export const CHUNK_WARN_FACTOR = 1.5;
export const CHUNK_ALERT_FACTOR = 2;

/**
 * Drift thresholds derived from the reference's variability with itself.
 *
 * Each reference chunk is scored against the rest of the reference with the same method: these
 * scores are what drift looks like when there is none (sampling noise plus the reference's own
 * change over time). `warn = 1.5 ×` and `alert = 2 ×` the largest of them, never below
 * {@link MIN_THRESHOLDS}.
 *
 * Sampling noise grows as samples shrink, so when the current data are smaller than a chunk the
 * limits are scaled up by `r` (PSI and Cramér-type divergences) or `√r` (distances), where
 * `r = (1/n_cur + 1/n_ref) / (1/n_chunk + 1/n_rest)`. They are never scaled down: a large current
 * sample does not make the reference's own drift over time any smaller.
 *
 * Returns `null` when fewer than two chunk scores are available (the caller then uses
 * {@link DEFAULT_THRESHOLDS}).
 *
 * https://en.wikipedia.org/wiki/Null_distribution
 *
 * @example
 * deriveThresholds("wasserstein", [0.01, 0.03, 0.02], { chunk: 1000, rest: 2000, current: 5000, reference: 3000 });
 * // { warn: 0.045, alert: 0.06, source: "reference chunks" } (0.03 × 1.5, 0.03 × 2; floors 0.02 / 0.05)
 */
export function deriveThresholds(
  method: DriftMethod,
  chunkScores: readonly number[],
  sizes: { chunk: number; rest: number; current: number; reference: number },
): DriftThresholds | null {
  const scores = chunkScores.filter((s) => Number.isFinite(s));
  if (scores.length < 2) return null;
  const worst = Math.max(...scores);
  const ratio = (1 / sizes.current + 1 / sizes.reference) / (1 / sizes.chunk + 1 / sizes.rest);
  const power = method === "psi" ? 1 : 0.5;
  const scale = Math.max(1, ratio ** power);
  const floor = MIN_THRESHOLDS[method];
  return {
    warn: Math.max(floor.warn, worst * CHUNK_WARN_FACTOR * scale),
    alert: Math.max(floor.alert, worst * CHUNK_ALERT_FACTOR * scale),
    source: "reference chunks",
  };
}
