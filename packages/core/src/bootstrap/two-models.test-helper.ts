import { createRng } from "../random/rng.js";
import { groupIdArray } from "../slicing/group-ids.js";
import type { Column } from "../table/column.js";
import type { EvaluateInput } from "./evaluate.js";
import { rowIdHash } from "./row-hash.js";

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

/**
 * `evaluate`'s input for `d` with the first model as candidate and the second as baseline,
 * sliced by `region`: the first `small` rows are "small", the rest "large" (the routing tests'
 * one slice below the Gaussian minimum and one above it).
 *
 * @example
 * evaluate({ ...regionInput(d, 200), metrics: ["roc_auc"], threshold: 0.5, bootstrap: 200, seed: 1 });
 */
export function regionInput(
  d: ReturnType<typeof twoModelData>,
  small: number,
): Pick<
  EvaluateInput,
  "task" | "labels" | "scores" | "baselineScores" | "rowIds" | "sliceColumns" | "specs"
> {
  const n = d.labels.length;
  const region = Array.from({ length: n }, (_, i) => (i < small ? "small" : "large"));
  return {
    task: "binary",
    labels: d.labels,
    scores: d.scores[0]!,
    baselineScores: d.scores[1]!,
    rowIds: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`k${i}`)),
    sliceColumns: new Map<string, Column>([
      ["region", { kind: "category", values: region, nulls: new Uint8Array(n) } as Column],
    ]),
    specs: ["region"],
  };
}
