// The two ONNX models the evaluation benches score: 100 boosted trees of depth 3 each, fitted by
// the fixtures' gradient boosting on the 20,000-row training sample of bench/python/inputs.mjs
// (the same rows the Python baseline fits its scikit-learn models on) and exported as an
// ai.onnx.ml TreeEnsembleClassifier. Both take the 16 numeric features of the 20-feature table as
// one float tensor (the four categoricals are slice columns, not model inputs): gauntlet scores the
// baseline with the candidate's input mapping, so the two share a signature. The candidate is
// fitted on all 20,000 rows at learning rate 0.1, the baseline (an older, weaker version) on the
// first 10,000 at 0.05; scoring costs the same per row. (The Python baseline's production model
// uses 5 inputs; sklearn's per-row tree cost does not depend on the input count either.) Fitted
// once and cached in bench/out/*.onnx; the SHA-256 goes into the bench manifests.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  churnRows,
  fitGradientBoosting,
  NUMERIC_FEATURES,
  treeEnsembleModel,
  WIDE_FEATURES,
} from "@gauntlet/fixtures";
import { NOW, OUT } from "./support.mjs";

/** The 16 numeric columns of the wide churn table: the candidate's `numeric` input, in order. */
export const CANDIDATE_FEATURES = [...NUMERIC_FEATURES, ...WIDE_FEATURES];

/** The training sample of bench/python/inputs.mjs `trainCsv()` (same seed, rows and id offset). */
function trainingRows() {
  return [
    ...churnRows({ seed: "2026/train", rows: 20_000, now: NOW, wideFeatures: true, idOffset: 50_000_000 }),
  ];
}

function fitOnnx(rows, features, learningRate) {
  const columns = features.map((name) =>
    Float64Array.from(rows, (r) => (typeof r[name] === "number" ? r[name] : Number.NaN)),
  );
  const labels = Float64Array.from(rows, (r) => Number(r.churned));
  const ensemble = fitGradientBoosting(columns, labels, { trees: 100, depth: 3, learningRate });
  return treeEnsembleModel({ ensemble, features });
}

/**
 * The candidate and baseline models as `{ path, sha256, features }`, fitted on first use.
 *
 * @example
 * const { candidate, baseline } = benchModels();
 * candidate.path; // bench/out/gbt-100x3-candidate.onnx
 */
export function benchModels() {
  mkdirSync(OUT, { recursive: true });
  const specs = {
    candidate: { file: "gbt-100x3-candidate.onnx", rows: 20_000, learningRate: 0.1 },
    baseline: { file: "gbt-100x3-baseline.onnx", rows: 10_000, learningRate: 0.05 },
  };
  let rows;
  const models = {};
  for (const [name, spec] of Object.entries(specs)) {
    const path = join(OUT, spec.file);
    if (!existsSync(path)) {
      const started = performance.now();
      rows ??= trainingRows();
      writeFileSync(
        `${path}.partial`,
        fitOnnx(rows.slice(0, spec.rows), CANDIDATE_FEATURES, spec.learningRate),
      );
      renameSync(`${path}.partial`, path);
      console.log(`fitted ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const sha256 = createHash("sha256").update(readFileSync(path)).digest("hex");
    models[name] = { path, sha256, features: CANDIDATE_FEATURES };
  }
  return models;
}
