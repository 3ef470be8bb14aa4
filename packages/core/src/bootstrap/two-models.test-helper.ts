import { createRng } from "../random/rng.js";
import { groupIdArray } from "../slicing/group-ids.js";

/** What {@link twoModelData} draws. */
export interface TwoModelOptions {
  /** Rows. */
  n: number;
  seed: number;
  /** Share of positive labels (expected). */
  prevalence: number;
  /** Scores rounded to this grid, so they tie; 0 (default) keeps them continuous. */
  step?: number;
}

/**
 * Synthetic binary data for the influence tests: labels at `prevalence`, two models' scores in
 * [0.1, 1] that rise with the label (the second noisier than the first), and two groupings of 3
 * groups — group 0 of the first is every row (overall), the second splits the rows into slices
 * 1 and 2 at random.
 *
 * @example
 * const d = twoModelData({ n: 80, seed: 21, prevalence: 0.35 });
 * d.scores.length; // 2
 * d.groupIds[1]![0]; // 1 or 2
 */
export function twoModelData({ n, seed, prevalence, step = 0 }: TwoModelOptions) {
  const rng = createRng(seed);
  const rnd = () => rng.next();
  const grid = (v: number) => (step > 0 ? Math.min(1, Math.round(v / step) * step) : v);
  const labels = new Float64Array(n);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const overall = groupIdArray(n, 3);
  const slice = groupIdArray(n, 3);
  for (let i = 0; i < n; i++) {
    labels[i] = rnd() < prevalence ? 1 : 0;
    const x = rnd() + 0.4 * labels[i]!;
    a[i] = grid(0.1 + 0.6 * x);
    b[i] = grid(0.15 + 0.5 * (x + 0.3 * rnd()));
    slice[i] = rnd() < 0.5 ? 1 : 2;
  }
  return { labels, scores: [a, b], groupIds: [overall, slice] };
}
