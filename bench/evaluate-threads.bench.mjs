// The exact bootstrap's replicates in one thread and split over worker threads, measured in one
// process on the same synthetic rows: core's `evaluate` alone (no reading or scoring), two models,
// 10 slice columns (47 slices + overall), nine metrics, 1,000 paired replicates. Prints each
// run's wall time, CPU time (every thread of the process), peak RSS so far, and whether the two
// evaluations are identical (they must be: each replicate's weights depend only on the row, the
// seed and the replicate, so the split changes no number).
//
// BENCH_ROWS (1,000,000), BENCH_REPLICATES (1,000), BENCH_THREADS (availableParallelism()).

import { availableParallelism } from "node:os";
import { evaluate, rowIdHash } from "@gauntlet/core";
import { replicateThreads } from "../packages/steps/dist/evaluate/replicate-threads.js";
import { EVAL_METRICS } from "./python/inputs.mjs";
import { figure, peakRssMb } from "./support.mjs";
import { loadAverage, machineLine, ratio } from "./support-report.mjs";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const REPLICATES = Number(process.env.BENCH_REPLICATES ?? 1000);
const THREADS = Number(process.env.BENCH_THREADS ?? availableParallelism());
// Values per slice column: 47 slices in all, as the evaluate bench's EVAL_SLICES.
const VALUES = [5, 5, 5, 5, 5, 5, 5, 4, 4, 4];

let s = 7;
const rnd = () => {
  s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
  return s / 2 ** 32;
};
const normal = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
const labels = new Float64Array(ROWS);
const scores = new Float64Array(ROWS);
const baselineScores = new Float64Array(ROWS);
for (let i = 0; i < ROWS; i++) {
  labels[i] = rnd() < 0.3 ? 1 : 0;
  scores[i] = 1 / (1 + Math.exp(-(1.4 * labels[i] - 0.9 + normal())));
  baselineScores[i] = 1 / (1 + Math.exp(-(1.2 * labels[i] - 0.8 + normal())));
}
const rowIds = Uint32Array.from({ length: ROWS }, (_, i) => rowIdHash(`c-${i}`));
const columns = () =>
  new Map(
    VALUES.map((count, c) => [
      `s${c}`,
      {
        kind: "category",
        values: Array.from(
          { length: ROWS },
          (_, i) => `v${(Math.imul(i + 1, 2654435761 + c) >>> 7) % count}`,
        ),
        nulls: new Uint8Array(ROWS),
      },
    ]),
  );
const settings = {
  task: "binary",
  labels,
  scores,
  baselineScores,
  rowIds,
  specs: VALUES.map((_, c) => `s${c}`),
  metrics: EVAL_METRICS,
  minSliceSize: 30,
  bootstrap: REPLICATES,
  seed: 42,
};

function measure(label, runReplicates) {
  const sliceColumns = columns();
  const load = loadAverage();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = evaluate({ ...settings, sliceColumns, runReplicates });
  const wallS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  figure(`${label}: wall`, wallS, "s");
  figure(`${label}: CPU (all threads)`, (used.user + used.system) / 1e6, "s");
  figure(`${label}: peak RSS so far`, Math.round(peakRssMb()), "MB");
  figure(`${label}: load before`, load);
  return { result, wallS };
}

figure("rows", ROWS);
figure("slices", `${VALUES.reduce((a, b) => a + b, 0)} + overall, 2 models, 9 metrics`);
figure("replicates", REPLICATES);
figure("threads", THREADS);
const runner = replicateThreads({ threads: THREADS });
if (!runner) throw new Error("no worker file beside packages/steps/dist/evaluate: run `npm run build` first");
const one = measure("one thread", undefined);
const split = measure(`${THREADS} threads`, runner);
ratio("wall, one thread / threads", one.wallS, split.wallS);
figure("identical evaluations", JSON.stringify(one.result) === JSON.stringify(split.result) ? "yes" : "NO");
const roc = split.result.overall.metrics.roc_auc;
figure("overall roc_auc", `${roc.value.toFixed(4)} [${roc.ci.map((v) => v.toFixed(4)).join(", ")}]`);
machineLine("load average after");
