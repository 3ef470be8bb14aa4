// drift-check with every monitoring layer against drift alone, on the same log in the same run
// (issue 17: under 1.5× the drift-only time). Reuses drift.bench.mjs's manifest, reference and
// JSONL prediction log (run `node bench/drift.bench.mjs` first, with the same BENCH_ROWS), and
// adds: operational health (volume limits; latency/error fields configured — the bench log has
// none, so those two read nothing and are reported unavailable), prediction limits (realised,
// estimated, low-confidence, class mix), a KPI (the late outcome's rate, missing on 70% of rows),
// 5 segments, and multivariate drift (PCA on the reference sample's rows) — each layer reading the
// same batches. The segments are issue 17's 5: drift.bench's log segments by region into 7, so both
// variants here read a copy of it whose inputs also carry `market`, the region's market as a user
// would group them (EG, SA, AE, JO, and "other" for MA, KW and QA: 5 values); the layers variant
// sets `slices: [market]`. Drift-only reads the same copy (the extra field is not one it reads).
// Each variant runs in
// its own process, drift-only first, then all layers, then drift-only again (not with
// BENCH_SINGLE=1); the ratio uses the mean of the drift-only runs.
import { execFileSync } from "node:child_process";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { predictionLogJsonl } from "./python/inputs.mjs";
import { figure, OUT, peakRssMb } from "./support.mjs";
import { loadAverage, machineLine, ratio } from "./support-report.mjs";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const TARGET = 1.5;
const LAYERS = `  latency: latency_ms
  error: error
  operations: { volume: { min-ratio: 0.5, max-ratio: 2 } }
  prediction:
    realised: { roc_auc: { min: 0.6 } }
    estimated: { roc_auc: { min: 0.6 } }
    low-confidence: { below: 0.6, max-share: 0.9 }
    class-mix: { max-shift: 0.3 }
  kpis:
    - { name: churn-rate, field: churned, aggregate: rate, max: 0.9 }
  slices: [market]
  multivariate: {}
`;

/** The market each logged region belongs to: 5 segments. */
const MARKETS = { EG: "EG", SA: "SA", AE: "AE", JO: "JO", MA: "other", KW: "other", QA: "other" };

/** drift.bench's JSON Lines log with `inputs.market` after `inputs.region`, written once beside it. */
async function marketLog(rows) {
  const source = predictionLogJsonl(rows).path;
  const path = source.replace(/\.jsonl$/, "-market.jsonl");
  if (existsSync(path)) return path;
  const started = performance.now();
  const out = createWriteStream(`${path}.tmp`);
  for await (const line of createInterface({ input: createReadStream(source), crlfDelay: Infinity })) {
    const withMarket = line.replace(/"region":"([A-Z]+)"/, (field, region) => {
      const market = MARKETS[region];
      if (market === undefined) throw new Error(`no market for region ${region} in ${source}`);
      return `${field},"market":"${market}"`;
    });
    if (!out.write(`${withMarket}\n`)) await new Promise((resolve) => out.once("drain", resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  renameSync(`${path}.tmp`, path);
  console.log(`generated ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return path;
}

const variant = process.argv[2];
if (variant === "drift" || variant === "layers") {
  const { loadManifest, parseProfile, releaseReference, runDriftCheck } = await import("@gauntlet/steps");
  const log = await marketLog(ROWS);
  const base = readFileSync(join(OUT, "drift", "churn", "model.yml"), "utf8").replace(
    /predictions: .*/,
    `predictions: ${log.slice(OUT.length + 1)}`,
  );
  const dir = join(OUT, "drift-layers", variant, "churn");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "model.yml"), variant === "layers" ? `${base.trimEnd()}\n${LAYERS}` : base);
  const profilePath = join(OUT, "drift", ".reference", "profile.json");
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const loaded = await loadManifest(join(dir, "model.yml"), OUT);
  const profile = parseProfile(JSON.parse(readFileSync(profilePath, "utf8")), profilePath, "churn");
  const reference = await releaseReference(profile, "churn/v1.2.0", {
    cwd: OUT,
    sample: join("drift", ".reference", "reference-sample.parquet"),
  });
  const { result } = await runDriftCheck(loaded, { cwd: OUT, reference });
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // After the clock: the result, to compare field by field across changes (`drift.json` as the action writes it).
  writeFileSync(join(dir, "drift.json"), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    JSON.stringify({
      wallS,
      cpuS: (cpu.user + cpu.system) / 1e6,
      peakRssMb: peakRssMb(),
      rows: result.rows.read,
      segments: result.segments?.segments.length ?? 0,
      checks: result.checks.length,
      level: result.level,
    }),
  );
} else {
  const self = fileURLToPath(import.meta.url);
  const runVariant = (name) =>
    JSON.parse(execFileSync(process.execPath, [self, name], { encoding: "utf8", maxBuffer: 1 << 24 }));
  await marketLog(ROWS);
  const loadBefore = loadAverage();
  const first = runVariant("drift");
  const layers = runVariant("layers");
  // BENCH_SINGLE=1 skips the second drift-only run (the 10M run takes minutes per variant).
  const second = process.env.BENCH_SINGLE === "1" ? first : runVariant("drift");
  const driftS = (first.wallS + second.wallS) / 2;
  figure("rows", layers.rows);
  figure("drift only (run 1, run 2)", `${first.wallS.toFixed(1)} s, ${second.wallS.toFixed(1)} s`);
  figure("every layer + 5 segments by market", layers.wallS, "s");
  // CPU seconds (user + system) of the timed part: on a shared machine, less moved by the load
  // than the wall time, since other processes' work is not counted.
  figure(
    "CPU drift only (run 1, run 2) / every layer",
    `${first.cpuS.toFixed(1)} s, ${second.cpuS.toFixed(1)} s / ${layers.cpuS.toFixed(1)} s`,
  );
  figure("segments, checks, level", `${layers.segments}, ${layers.checks}, ${layers.level}`);
  figure("peak RSS drift only / every layer", `${first.peakRssMb} MB / ${layers.peakRssMb} MB`);
  const r = ratio("every layer / drift only", layers.wallS, driftS);
  figure("target", `< ${TARGET}× (${r < TARGET ? "met" : "NOT met"})`);
  ratio("CPU every layer / drift only", layers.cpuS, (first.cpuS + second.cpuS) / 2);
  figure("load average before", loadBefore);
  machineLine("load average after");
}
