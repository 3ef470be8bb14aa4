// What fairness rules cost when the groups are near ties (issue 14): 200,000 rows (BENCH_ROWS),
// 3 regions drawn independently of label and score (every true gap 0, so the gaps stay on the
// bootstrap and draw replicates of their own), a calibrated binormal score (prevalence 0.3, latent
// shift 1.2), metrics roc_auc, recall, fpr and selection_rate (every region's rates Gaussian),
// 1,000 replicates, one thread (`evaluate` from @gauntlet/core). Each evaluation is timed without
// and with `equalized_odds` + `demographic_parity` across region, alternating (BENCH_ROUNDS, 2):
// process CPU seconds (the figure to compare under load) and wall seconds.
//
// `node bench/fairness-ties.bench.mjs` (after `npm run build`).

import { createRng, evaluate, rowIdHash } from "@gauntlet/core";
import { figure } from "./support.mjs";

const n = Number(process.env.BENCH_ROWS ?? 200_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const g = createRng(42);
const labels = new Float64Array(n);
const scores = new Float64Array(n);
const region = [];
for (let i = 0; i < n; i++) {
  const y = g.next() < 0.3 ? 1 : 0;
  const x = g.normal() + 1.2 * y;
  labels[i] = y;
  scores[i] = 1 / (1 + Math.exp(-(Math.log(0.3 / 0.7) + 1.2 * x - 0.72)));
  region.push(["AE", "SA", "EG"][Math.floor(g.next() * 3)]);
}
const input = {
  task: "binary",
  labels,
  scores,
  rowIds: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`f:${i}`)),
  sliceColumns: new Map([["region", { kind: "category", values: region, nulls: new Uint8Array(n) }]]),
  specs: ["region"],
  threshold: 0.5,
  metrics: ["roc_auc", "recall", "fpr", "selection_rate"],
  minSliceSize: 30,
  bootstrap: 1000,
  seed: 7,
};
const rules = [
  { across: "region", criterion: "equalized_odds" },
  { across: "region", criterion: "demographic_parity" },
];
for (let round = 1; round <= rounds; round++) {
  for (const withRules of [false, true]) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const e = evaluate({ ...input, ...(withRules ? { fairness: rules } : {}) });
    const used = process.cpuUsage(cpu);
    const label = `round ${round} ${withRules ? "with rules" : "without"}`;
    figure(`${label} CPU`, (used.user + used.system) / 1e6, "s");
    figure(`${label} wall`, (performance.now() - started) / 1000, "s");
    if (withRules && round === 1)
      for (const f of e.fairness)
        figure(
          `${f.criterion} gap`,
          `${f.gap.value.toFixed(4)} [${f.gap.ci.map((x) => x.toFixed(4)).join(", ")}] (${f.gap.intervals ?? "bootstrap"})`,
        );
  }
}
