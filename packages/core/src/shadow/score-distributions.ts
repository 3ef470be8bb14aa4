import { countsFromSketch, quantileEdges } from "../profile/bins.js";
import { createKllSketch, type KllSketch, kllUpdate, kllWeighted } from "../profile/kll-sketch.js";
import { formatNumber } from "../report/evaluation-format.js";
import { ksTestFromCounts } from "../stats/ks-test-from-counts.js";
import { psi } from "../stats/psi.js";
import type { DistributionSummary } from "./shadow-result.js";

/** Streams both models' scores into a {@link DistributionSummary}. */
export interface ScoreDistributions {
  add(champion: number, challenger: number): void;
  finish(): DistributionSummary;
}

/** Bins of the histogram drawn in the comment. */
export const HISTOGRAM_BINS = 10;
/** Equal-frequency bins of the champion's scores over which PSI is computed. */
export const PSI_BINS = 10;
// Rank error about 2/k: 0.2% of the rows, far below the shifts the limits are about.
const SKETCH_K = 1000;

/**
 * The challenger's score distribution against the champion's, in bounded memory: PSI over the
 * champion's deciles (read off a KLL sketch, as drift profiles do), the two-sample KS statistic
 * and p-value from both sketches with the true row counts, and a 10-bin histogram over [0, 1]
 * counted exactly for the chart. `NaN` scores are left out.
 *
 * Degenerate cases: no scores gives `null` PSI and KS with a reason.
 *
 * With `{ histogram: "deciles" }` (regression, whose values have no fixed range) the histogram's
 * bins are the champion's deciles instead, counted from the same sketches as PSI (each count
 * within 0.2% of the rows of the exact one).
 *
 * @example
 * const d = createScoreDistributions();
 * d.add(0.1, 0.12); d.add(0.8, 0.75);
 * d.finish().histogram.champion; // [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
 */
export function createScoreDistributions(
  options: { histogram?: "unit" | "deciles" } = {},
): ScoreDistributions {
  const sketches = [createKllSketch(SKETCH_K), createKllSketch(SKETCH_K, 0x9e3779b9)] as const;
  const counts = [
    new Array<number>(HISTOGRAM_BINS).fill(0),
    new Array<number>(HISTOGRAM_BINS).fill(0),
  ] as const;
  const bin = (score: number) =>
    Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(score * HISTOGRAM_BINS)));
  return {
    add(champion, challenger) {
      if (Number.isNaN(champion) || Number.isNaN(challenger)) return;
      kllUpdate(sketches[0], champion);
      kllUpdate(sketches[1], challenger);
      counts[0][bin(champion)]!++;
      counts[1][bin(challenger)]!++;
    },
    finish() {
      const labels = Array.from(
        { length: HISTOGRAM_BINS },
        (_, i) => `${(i / HISTOGRAM_BINS).toFixed(1)}–${((i + 1) / HISTOGRAM_BINS).toFixed(1)}`,
      );
      const [a, b] = sketches;
      const histogram =
        options.histogram === "deciles" && a.n > 0
          ? decileHistogram(a, b)
          : { labels, champion: [...counts[0]], challenger: [...counts[1]] };
      if (a.n === 0) {
        return {
          psi: null,
          ks: { statistic: null, pValue: null },
          reason: "no scores to compare",
          histogram,
        };
      }
      const edges = quantileEdges(a, PSI_BINS);
      const shift = psi(countsFromSketch(a, edges), countsFromSketch(b, edges));
      const ks = ksTestFromCounts(kllWeighted(a), kllWeighted(b), { sizes: [a.n, b.n] });
      return {
        psi: shift.value,
        ks: { statistic: ks.statistic, pValue: ks.pValue },
        ...(shift.reason ? { reason: shift.reason } : {}),
        histogram,
      };
    },
  };
}

/** The champion's deciles as bins (`≤ e₁`, `e₁–e₂`, …, `> e₉`) with both models' sketched counts. */
function decileHistogram(a: KllSketch, b: KllSketch): DistributionSummary["histogram"] {
  const edges = quantileEdges(a, HISTOGRAM_BINS);
  const text = (v: number) => formatNumber(v);
  const labels = [
    `≤ ${text(edges[0]!)}`,
    ...edges.slice(1).map((e, i) => `${text(edges[i]!)}–${text(e)}`),
    `> ${text(edges.at(-1)!)}`,
  ];
  const round = (counts: number[]) => counts.map((c) => Math.round(c));
  return {
    labels,
    champion: round(countsFromSketch(a, edges)),
    challenger: round(countsFromSketch(b, edges)),
  };
}
