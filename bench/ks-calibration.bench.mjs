// The drift KS test's false-alarm rate under no drift: a seeded skewed data set (log-normal) is
// split at random into a reference and a current half, again and again, and each split compared
// the way drift-check compares a column (`compareColumn` on profiles). A calibrated test rejects
// at p < 0.05 in 5% of splits. Prints the rate ± its standard error for profiles that keep their
// values (what drift-check does with an exact reference: the p-value is SciPy's ks_2samp on the
// two samples) and for sketch-only profiles (a profile.json alone, as before reference samples),
// at a size with exact p-values (1,000 vs 1,000) and one with asymptotic p-values (20,000 vs
// 20,000). `BENCH_SPLITS` sets the splits of the small case (default 2,000; a tenth of it for the
// large case).
import { compareColumn, createProfileBuilder, createRng } from "@gauntlet/core";
import { figure } from "./support.mjs";

const SPLITS = Number(process.env.BENCH_SPLITS ?? 2000);

function profileOf(values, exact, reference) {
  const builder = createProfileBuilder({
    exactValues: exact ? values.length : 0,
    ...(reference ? { reference } : {}),
  });
  builder.add({
    source: "split",
    firstRow: 1,
    length: values.length,
    columns: new Map([["x", { kind: "number", values, nulls: new Uint8Array(values.length) }]]),
    invalid: new Map(),
  });
  return builder.finish();
}

const share = (k, n) =>
  `${((100 * k) / n).toFixed(1)}% ± ${((100 * Math.sqrt((k / n) * (1 - k / n))) / Math.sqrt(n)).toFixed(1)}% (${k} of ${n})`;

for (const [half, splits] of [
  [1000, SPLITS],
  [20000, Math.max(1, Math.round(SPLITS / 10))],
]) {
  const rng = createRng(`ks-calibration-bench/${half}`);
  const data = Float64Array.from({ length: 2 * half }, () => Math.exp(rng.normal(0, 1)));
  const rejected = { exact: 0, sketch: 0 };
  let method = "";
  const started = performance.now();
  for (let s = 0; s < splits; s++) {
    const shuffled = data.slice();
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const a = shuffled.slice(0, half);
    const b = shuffled.slice(half);
    for (const exact of [true, false]) {
      const reference = profileOf(a, exact);
      const current = profileOf(b, exact, reference);
      const drift = compareColumn(reference.columns.x, current.columns.x, { column: "x", method: "ks" });
      if (drift.pValue < 0.05) rejected[exact ? "exact" : "sketch"] += 1;
      if (exact) method = half <= 10_000 ? "exact p-values" : "asymptotic p-values";
    }
  }
  figure(`${half} vs ${half} (${method}), kept values`, share(rejected.exact, splits));
  figure(`${half} vs ${half}, sketches only`, share(rejected.sketch, splits));
  figure(`${half} vs ${half}, time`, (performance.now() - started) / 1000, "s");
}
figure("target", "5% ± 1.5% for kept values (what drift-check computes with an exact reference)");
