// evaluate-slices without gauntlet: the same 1,000,000-row churn CSV scored and evaluated by
// bench/python/evaluate_slices.py (pandas + scikit-learn on Debian's /usr/bin/python3) — two
// 100-tree depth-3 gradient-boosted models (candidate and baseline), nine metrics overall and for
// the 10 slice columns of EVAL_SLICES, 1,000 Poisson-bootstrap replicates and the paired delta.
// The Python bootstrap loop costs seconds per replicate, so BENCH_PY_MEASURE (default 20)
// replicates run and the bootstrap time is scaled linearly to 1,000 ("extrapolated from").
// Model training (on a separate 20k-row sample) is reported but not part of the wall time.
// Figures also go to bench/out/python-evaluate.json for the gauntlet bench's ratio.

import { EVAL_SLICES, runPython, savePythonFigures, setupPython, trainCsv } from "./python/inputs.mjs";
import { churnCsv, figure } from "./support.mjs";

const ROWS = 1_000_000;
const REPLICATES = 1000;
const MEASURE = Number(process.env.BENCH_PY_MEASURE ?? 20);

setupPython();
const data = churnCsv(ROWS);
const train = trainCsv();
const started = performance.now();
const py = runPython("evaluate_slices.py", [
  "--data",
  data.path,
  "--train",
  train.path,
  "--slices",
  JSON.stringify(EVAL_SLICES),
  "--replicates",
  String(REPLICATES),
  "--measure",
  String(MEASURE),
  "--seed",
  "7",
]);
const processSeconds = (performance.now() - started) / 1000;

const extrapolated = py.extrapolated_from ? ` (extrapolated from ${py.extrapolated_from})` : "";
figure("rows", py.rows);
figure("file size", data.bytes / 1e6, "MB");
figure("slices", `${py.slices} + overall (${py.suppressed} suppressed)`);
figure("metrics", py.metrics);
figure("bootstrap replicates", `${py.replicates}${extrapolated}`);
figure("training (excluded)", py.train_s, "s");
figure("read (pandas read_csv)", py.read_s, "s");
figure("score (2 × predict_proba)", py.score_s, "s");
figure("point metrics", py.metrics_s, "s");
figure(
  "bootstrap measured",
  `${py.bootstrap_measured_s.toFixed(1)} s for ${py.extrapolated_from ?? py.replicates}`,
);
figure(`bootstrap${extrapolated}`, py.bootstrap_s, "s");
figure("wall time (python)", py.total_s, "s");
figure("peak RSS (python)", py.peak_rss_mb, "MB");
const path = savePythonFigures("evaluate", {
  ...py,
  data: data.path,
  slices_spec: EVAL_SLICES,
  wall_s: py.total_s,
  process_s: processSeconds,
  python: "/usr/bin/python3",
});
console.log(`figures written to ${path}`);
