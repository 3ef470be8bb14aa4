// Inputs shared by the Python baselines (bench/python-*.bench.mjs) and the gauntlet benches they
// are compared with, so both sides read byte-identical files and slice the same way. Every file is
// generated once (seeded) into bench/out/ and reused.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  churnColumns,
  churnRows,
  fitChurnModels,
  predictionLogRows,
  writeCsv,
  writeJsonl,
} from "@gauntlet/fixtures";
import { churnCsv, NOW, OUT } from "../support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
/** Debian's interpreter with python3-pandas/-sklearn/-scipy (not a pyenv or venv python on PATH). */
export const PYTHON = "/usr/bin/python3";
const TRAIN_ROWS = 20_000;
const DAY_MS = 86_400_000;

/**
 * The ten slice columns of the evaluation benches, in manifest form (`evaluation.slices`): four
 * categoricals and six binned numerics (bins `< e0`, `[a, b)`, `≥ eLast`, plus `(missing)`) —
 * 47 slices of the 1M-row churn CSV, plus overall.
 */
export const EVAL_SLICES = [
  "region",
  "plan",
  "payment_method",
  "device_os",
  { column: "tenure_months", bins: [3, 6, 12, 24, 48] },
  { column: "monthly_charges", bins: [10, 20, 30, 50] },
  { column: "age", bins: [25, 35, 45, 55] },
  { column: "data_gb", bins: [1, 3, 10, 30] },
  { column: "support_calls", bins: [1, 2, 3] },
  { column: "late_payments", bins: [1, 2] },
];
/** The metrics every evaluation bench computes. */
export const EVAL_METRICS = [
  "roc_auc",
  "average_precision",
  "f1",
  "precision",
  "recall",
  "accuracy",
  "log_loss",
  "brier",
  "ece",
];

function timed(path, write) {
  const started = performance.now();
  const tmp = `${path}.partial`;
  write(tmp);
  renameSync(tmp, path); // an interrupted run never leaves a truncated file to be reused
  console.log(`generated ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const trainOptions = () => ({
  seed: "2026/train",
  rows: TRAIN_ROWS,
  now: NOW,
  wideFeatures: true,
  idOffset: 50_000_000,
});

/** The 20,000-row training sample (disjoint ids, its own seed) the Python baselines fit their models on. */
export function trainCsv() {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `churn-train-${TRAIN_ROWS}.csv`);
  if (!existsSync(path)) timed(path, (tmp) => writeCsv(tmp, churnColumns(true), churnRows(trainOptions())));
  return { path, bytes: statSync(path).size };
}

/** The drift reference: a 100,000-row healthy churn CSV (what the production model was evaluated on). */
export function referenceCsv() {
  return churnCsv(100_000);
}

/**
 * A prediction log of `rows` rows over `days` daily windows ending at NOW, as `predictionLogRows`
 * writes it (nested `inputs` with the ten base features, `score` from the production model fitted
 * on the training sample, 2% of rows from another model version, 30% with the outcome). The
 * traffic is healthy; drift-check's work does not depend on whether it drifted.
 */
export function predictionLogJsonl(rows, { days = 7 } = {}) {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `predictions-${rows}-${days}d.jsonl`);
  if (!existsSync(path)) {
    timed(path, (tmp) => {
      const models = fitChurnModels([...churnRows(trainOptions())]);
      writeJsonl(
        tmp,
        predictionLogRows({
          seed: 2026,
          rows,
          now: NOW,
          windowHours: 24 * days,
          score: models.production.score,
        }),
      );
    });
  }
  return {
    path,
    bytes: statSync(path).size,
    windowStart: new Date(Date.parse(NOW) - days * DAY_MS).toISOString(),
  };
}

/** Installs the Python stack if missing (a quick no-op when present). */
export function setupPython() {
  execFileSync("bash", [join(here, "setup.sh")], { stdio: "inherit" });
}

/**
 * Runs one of bench/python/*.py with Debian's python3, echoing its output, and returns the JSON
 * object it prints on its last line.
 */
export function runPython(script, args) {
  const out = execFileSync(PYTHON, [join(here, script), ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 28,
  });
  const lines = out.trimEnd().split("\n");
  for (const line of lines.slice(0, -1)) console.log(`  ${line}`);
  return JSON.parse(lines.at(-1));
}

/** Writes the Python figures to bench/out/python-<job>.json for the gauntlet benches' ratios. */
export function savePythonFigures(job, figures) {
  const path = join(OUT, `python-${job}.json`);
  writeFileSync(
    path,
    `${JSON.stringify({ job, recorded: new Date().toISOString(), ...figures }, null, 2)}\n`,
  );
  return path;
}
