import type { RowPass } from "./binary-pass.js";
import type { MetricOptions } from "./metric-value.js";
import { prepareMulticlassPass } from "./multiclass-pass.js";
import { prepareBinaryPass } from "./prepare-binary-pass.js";
import { prepareRegressionPass } from "./regression-pass.js";

/**
 * The sums one metric reads, for one group of rows (all of them): the standalone metric functions
 * run the same pass the evaluation runs per slice and replicate, so both share one definition.
 *
 * @example
 * tallyOf("regression", [1, 3], [1, 2]); // Float64Array [2, 1, 1, 0.3333333333333333, 0, 2, 2, 1, 3]
 */
export function tallyOf(
  task: "binary" | "multiclass" | "regression",
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions & { classes?: number } = {},
): Float64Array {
  const n = labels.length;
  const classes = options.classes ?? 2;
  const width = task === "multiclass" ? classes : 1;
  if (scores.length !== n * width) {
    throw new RangeError(`expected ${n * width} scores for ${n} labels, got ${scores.length}`);
  }
  const rows = { labels, scores, groupIds: [new Uint32Array(n)], groups: 1 };
  const pass: RowPass =
    task === "binary"
      ? prepareBinaryPass(rows, options.threshold ?? 0.5, options.operating ?? {})
      : task === "multiclass"
        ? prepareMulticlassPass(rows, classes)
        : prepareRegressionPass(rows);
  const out = new Float64Array(pass.tallySize);
  pass.run(checkedWeights(options.weights, n), out);
  return out;
}

function checkedWeights(weights: ArrayLike<number> | undefined, n: number): Float64Array | null {
  if (weights === undefined) return null;
  if (weights.length !== n) throw new RangeError(`expected ${n} weights, got ${weights.length}`);
  const w = Float64Array.from(weights);
  for (const v of w)
    if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`weights must be finite and ≥ 0, got ${v}`);
  return w;
}
