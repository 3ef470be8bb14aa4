// canary-check: (1) throughput — 10M logged requests (Parquet, written by DuckDB from a seeded
// SQL generator: two arms, 5% new version, latency, error flag, served score and class) read through @gauntlet/data and
// decided by runCanaryCheck, as `gauntlet canary` does. Target: < 30 s and < 1 GB peak RSS.
// (2) honest repeated looks — a simulation of 24 looks per rollout: how often a version equal to
// the incumbent is rolled back (false rollback) and how often one exactly at its limit is expanded
// (false expand). Nominal: at most alpha = 0.05 each.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { createRng, EXAMPLE_MANIFEST_YAML, evaluateCanary, rolloutSchema } from "@gauntlet/core";
import { loadManifest, runCanaryCheck } from "@gauntlet/steps";
import { figure, OUT, peakRssMb } from "./support.mjs";
import { againstTarget, machineLine } from "./support-report.mjs";

const ROWS = Number(process.env.CANARY_ROWS ?? 10_000_000);
const dir = join(OUT, "canary");
mkdirSync(join(dir, "models", "churn"), { recursive: true });
const log = join(dir, `serving-scored-${ROWS}.parquet`);
if (!existsSync(log)) {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  // hash(i) gives a reproducible uniform per row; the new version is 5% of requests.
  await c.run(`COPY (
    SELECT TIMESTAMP '2026-05-01 00:00:00' + to_milliseconds(i * 25) AS timestamp,
           CASE WHEN hash(i) % 1000 < 50 THEN '1.3.0' ELSE '1.2.0' END AS model_version,
           50 * exp(0.3 * sqrt(-2 * ln((hash(i * 7 + 1) % 1000000 + 1) / 1000001.0)) * cos(6.283185307 * (hash(i * 13 + 5) % 1000000) / 1000000.0)) AS latency_ms,
           (hash(i * 31 + 3) % 1000) < 10 AS error,
           (hash(i * 17 + 11) % 1000) / 1000.0 AS score,
           CASE WHEN hash(i * 19 + 7) % 10 < 5 THEN 'basic' WHEN hash(i * 19 + 7) % 10 < 8 THEN 'plus' ELSE 'pro' END AS plan
    FROM range(${ROWS}) t(i)) TO '${log}' (FORMAT parquet)`);
  c.closeSync?.();
}
writeFileSync(
  join(dir, "models", "churn", "model.yml"),
  `${EXAMPLE_MANIFEST_YAML}
rollout:
  log: ${log.slice(dir.length + 1)}
  latency: latency_ms
  error: error
  score: score
  class: plan
  stages: [{ stage: canary, traffic: 0.05, min-requests: 5000 }, { stage: production, traffic: 1.0 }]
  checks: [{ signal: latency-p99, max-ratio: 1.2 }, { signal: error-rate, max-increase: 0.002 },
           { prediction: score, max-shift: 0.02 }, { prediction: class, max-shift: 0.02 }]
`,
);

machineLine();
const loaded = await loadManifest("models/churn/model.yml", dir);
const started = performance.now();
const { result } = await runCanaryCheck(loaded, { stage: "canary", incumbent: "1.2.0", since: 0, cwd: dir });
const seconds = (performance.now() - started) / 1000;
figure("requests read", result.candidate.requests + result.incumbent.requests);
figure("verdict", result.verdict);
againstTarget("wall time", seconds, "s", 30);
const rss = peakRssMb();
againstTarget("peak RSS (includes generating the log the first time)", rss, "MB", 1024);

// (2) The simulation: per look, each arm's new requests are appended and the canary decided on
// everything so far, as the scheduled check does; a run stops at its first expand or rollback.
const rollout = rolloutSchema.parse({
  log: "x",
  stages: [
    { stage: "canary", traffic: 0.1 },
    { stage: "production", traffic: 1 },
  ],
  checks: [{ signal: "error-rate", "max-increase": 0.01 }],
});
const RUNS = Number(process.env.CANARY_RUNS ?? 1000);
/** An arm that has served nothing yet (the shape the step reads from the log). */
const arm = (version) => ({
  version,
  requests: 0,
  errorRows: 0,
  errors: 0,
  latencies: new Float64Array(0),
  scores: new Float64Array(0),
  outcomes: new Uint8Array(0),
  kpis: {},
  served: { n: 0, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 },
  classes: {},
});
/** RUNS rollouts of up to 24 looks, each stopping at its first expand or rollback: the verdicts. */
function rollouts(rollout, look) {
  const counts = { expand: 0, rollback: 0, hold: 0 };
  for (let r = 0; r < RUNS; r++) {
    const c = arm("new");
    const i = arm("old");
    let verdict = "hold";
    for (let k = 0; k < 24 && verdict === "hold"; k++) {
      look(c, i);
      const observation = {
        candidate: c,
        incumbent: i,
        unknown: {},
        stageStart: "2026-05-01T00:00:00Z",
        lastRequest: "2026-05-02T00:00:00Z",
        windows: [],
      };
      verdict = evaluateCanary({ model: "m", rollout, stageIndex: 0, observation }).verdict;
    }
    counts[verdict]++;
  }
  return counts;
}
/** Per look, 200 requests of the new version and 1,800 of the incumbent (error rate 2%). */
function simulate(seed, candidateErrorRate) {
  const rng = createRng(seed);
  const errors = (a, n, rate) => {
    for (let k = 0; k < n; k++) {
      a.requests++;
      a.errorRows++;
      a.errors += rng.bernoulli(rate);
    }
  };
  return rollouts(rollout, (c, i) => {
    errors(c, 200, candidateErrorRate);
    errors(i, 1800, 0.02);
  });
}
const equal = simulate("bench-null", 0.02);
const atLimit = simulate("bench-limit", 0.03);
figure(
  "false rollback (equal arms)",
  equal.rollback / RUNS,
  `over ${RUNS} rollouts of 24 looks (nominal ≤ 0.05)`,
);
figure(
  "false expand (at the limit)",
  atLimit.expand / RUNS,
  `over ${RUNS} rollouts of 24 looks (nominal ≤ 0.05)`,
);
figure("equal arms expanded", equal.expand / RUNS, "(power)");

// (3) The prediction signals under the same 24 looks: the mean served score (normal, sd 0.2) and
// the class shares of three classes, each with on-fail: rollback so a false alarm is visible as a
// rollback. Equal arms: false rollback; a shift exactly at max-shift: false expand.
const predictionRollout = (check) =>
  rolloutSchema.parse({
    log: "x",
    stages: [
      { stage: "canary", traffic: 0.1 },
      { stage: "production", traffic: 1 },
    ],
    checks: [{ ...check, "on-fail": "rollback" }],
  });
function simulatePredictions(seed, check, draw) {
  const rng = createRng(seed);
  const add = (a, isNew) => {
    const { score, label } = draw(rng, isNew);
    a.requests++;
    if (score !== undefined) {
      a.served.n++;
      a.served.sumY += score;
      a.served.sumY2 += score * score;
    }
    if (label !== undefined) a.classes[label] = (a.classes[label] ?? 0) + 1;
  };
  return rollouts(predictionRollout(check), (c, i) => {
    for (let k = 0; k < 200; k++) add(c, true);
    for (let k = 0; k < 1800; k++) add(i, false);
  });
}
const scoreDraw = (shift) => (rng, isNew) => ({ score: 0.3 + (isNew ? shift : 0) + rng.normal(0, 0.2) });
// Three classes with shares 50/35/15%; at the limit the new version moves 5 points from a to c.
const classDraw = (shift) => (rng, isNew) => {
  const u = rng.next();
  const a = 0.5 - (isNew ? shift : 0);
  return { label: u < a ? "a" : u < a + 0.35 ? "b" : "c" };
};
for (const [name, check, draw] of [
  ["score", { prediction: "score", "max-shift": 0.03 }, scoreDraw],
  ["class", { prediction: "class", "max-shift": 0.05 }, classDraw],
]) {
  const equalArms = simulatePredictions(`bench-${name}-null`, check, draw(0));
  const atLimit = simulatePredictions(`bench-${name}-limit`, check, draw(check["max-shift"]));
  const over = `over ${RUNS} rollouts of 24 looks (nominal ≤ 0.05)`;
  figure(`${name}: false rollback (equal arms)`, equalArms.rollback / RUNS, over);
  figure(`${name}: false expand (shift at max-shift)`, atLimit.expand / RUNS, over);
  figure(`${name}: equal arms expanded`, equalArms.expand / RUNS, "(power)");
}
