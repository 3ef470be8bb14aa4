import {
  customMetricsOf,
  declaredValues,
  type EvaluateInput,
  type EvaluationResult,
  fairnessRequests,
  type Manifest,
  operatingSpecOf,
} from "@gauntlet/core";

/** What of `evaluate`'s input the manifest decides. */
export type ManifestEvaluateInput = Pick<
  EvaluateInput,
  | "task"
  | "specs"
  | "declaredValues"
  | "metrics"
  | "threshold"
  | "operating"
  | "fairness"
  | "custom"
  | "minSliceSize"
  | "bootstrap"
  | "seed"
>;

/**
 * The part of `evaluate`'s input that comes from the manifest — task, slices, the contract's
 * declared values, metrics, threshold, operating point, fairness, custom metrics, minimum slice
 * size, bootstrap and seed — the same for a whole evaluation and for the merge of its shards.
 *
 * @example
 * evaluate({ ...manifestEvaluateInput(manifest), labels, scores, rowIds, sliceColumns, file, clock });
 */
export function manifestEvaluateInput(manifest: Manifest): ManifestEvaluateInput {
  const e = manifest.evaluation!;
  return {
    task: manifest.task,
    specs: e.slices,
    ...(manifest.data ? { declaredValues: declaredValues(manifest.data) } : {}),
    metrics: e.metrics as EvaluationResult["metrics"],
    threshold: e.threshold,
    operating: operatingSpecOf(e),
    fairness: fairnessRequests(manifest),
    custom: customMetricsOf(e, manifest.task),
    minSliceSize: e["min-slice-size"],
    bootstrap: e.bootstrap,
    seed: e.seed,
  };
}
