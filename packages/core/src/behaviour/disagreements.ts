import type { Batch } from "../table/column.js";
import type { Disagreement } from "./behaviour-result.js";
import { decision, headlineScore, type Predictions, predictionChange } from "./predictions.js";
import { rowValues } from "./probe-batch.js";

/**
 * The `count` sample rows where the candidate's and production's predictions differ most (largest
 * change first, as {@link predictionChange} measures it; ties by row order), with their input
 * values. For multiclass each side is its decided class and that class's probability.
 *
 * @example
 * largestDisagreements(sample, candidate, production, ["age", "region"], 5)[0];
 * // { inputs: { age: 71, region: "QA" }, candidate: 0.81, production: 0.42 }
 */
export function largestDisagreements(
  sample: Batch,
  candidate: Predictions,
  production: Predictions,
  columns: readonly string[],
  count: number,
  classes: readonly string[] = [],
): Disagreement[] {
  const gap = new Float64Array(sample.length);
  const rows: number[] = [];
  for (let r = 0; r < sample.length; r++) {
    gap[r] = predictionChange(candidate, r, production, r);
    if (Number.isFinite(gap[r]!)) rows.push(r);
  }
  const label = (p: Predictions, r: number) => {
    const d = decision(p, r, 0)!;
    return classes[d] ?? String(d);
  };
  return rows
    .sort((a, b) => gap[b]! - gap[a]! || a - b)
    .slice(0, count)
    .filter((r) => gap[r]! > 0)
    .map((r) => ({
      inputs: rowValues(sample, r, columns),
      candidate: headlineScore(candidate, r)!,
      production: headlineScore(production, r)!,
      ...(candidate.task === "multiclass"
        ? { candidateClass: label(candidate, r), productionClass: label(production, r) }
        : {}),
    }));
}
