import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng, labelledScoreCounts, parseManifest } from "@gauntlet/core";
import { churnColumns, churnRows, predictionLogRows, writeCsv } from "@gauntlet/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedReference, loadReference } from "../reference/load-reference.js";
import { writePart } from "../shard-parts.js";
import { driftShard } from "./drift-shard.js";
import { mergeDrift } from "./merge-drift.js";
import { churnScore, monitoringManifest } from "./monitoring-manifest.test-helper.js";
import { runDriftCheck } from "./run-drift-check.js";

// The multiclass label-free estimate through drift-check as a sharded run carries it: the part
// files' layers hold each window's class-probability counts, and the merge is the single run.

const NOW = "2025-06-01T00:00:00Z";
const FILE = "models/churn/model.yml";
const MANIFEST = monitoringManifest(
  "  probabilities: [p0, p1, p2]\n  prediction:\n    estimated: { accuracy: { min: 0.6 }, f1_macro: { min: 0.6 } }\n",
)
  .replace("task: binary", "task: multiclass")
  .replace("classes: [0, 1]\n  positive: 1", "classes: [0, 1, 2]")
  .replace("  score: score\n", "  score: predicted_class\n");
const loaded = () => ({ file: FILE, manifest: parseManifest(MANIFEST, FILE) });

let dir: string;
let reference: LoadedReference;

/** Class probabilities softmax(z), z_k = 2 · spread · N(0, 1). */
function draw(rng: ReturnType<typeof createRng>, spread: number): number[] {
  const e = [0, 1, 2].map(() => Math.exp(2 * spread * rng.normal(0, 1)));
  const sum = e[0]! + e[1]! + e[2]!;
  return e.map((v) => v / sum);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-multiclass-estimate-"));
  mkdirSync(join(dir, "data"));
  mkdirSync(join(dir, "logs"));
  writeCsv(join(dir, "data/ref.csv"), churnColumns(false), churnRows({ seed: 3, rows: 2_000, now: NOW }));
  const rng = createRng("multiclass-estimate-shard");
  // The reference promote writes for a multiclass model: the predicted class as a column, and each
  // class's probability against the label (calibrated probabilities, labels drawn from them).
  const profile = (await loadReference("data/ref.csv", { cwd: dir, manifest: loaded().manifest })).profile;
  const probabilities = Array.from({ length: 2_000 }, () => draw(rng, 1));
  const labels = probabilities.map((p) => {
    const u = rng.next();
    return u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2;
  });
  const counts: Record<string, number> = { "0": 0, "1": 0, "2": 0 };
  for (const p of probabilities) counts[String(p.indexOf(Math.max(...p)))]! += 1;
  profile.columns["predicted_class"] = {
    kind: "category",
    rows: 2_000,
    count: 2_000,
    nulls: 0,
    counts,
    other: 0,
    chunks: [],
  };
  profile.classCalibration = {
    label: "churned",
    classes: ["0", "1", "2"],
    rows: 2_000,
    labelledScores: [0, 1, 2].map((k) =>
      labelledScoreCounts(
        probabilities.map((p) => p[k]!),
        labels.map((y) => (y === k ? 1 : 0)),
      ),
    ),
  };
  writeFileSync(join(dir, "data/profile.json"), JSON.stringify(profile));
  reference = await loadReference("data/profile.json", { cwd: dir, manifest: loaded().manifest });
  // 3,000 rows over 24 h; in the last 6 hours the probabilities crowd the decision boundary.
  const rows = [...predictionLogRows({ seed: 4, rows: 3_000, now: NOW, score: churnScore })];
  const lines = rows.map((r) => {
    const recent = Date.parse(NOW) - Date.parse(r.ts) <= 6 * 3_600_000;
    const p = draw(rng, recent ? 0.1 : 1);
    return JSON.stringify({
      ...r,
      predicted_class: String(p.indexOf(Math.max(...p))),
      p0: p[0],
      p1: p[1],
      p2: p[2],
    });
  });
  writeFileSync(join(dir, "logs/a.jsonl"), `${lines.join("\n")}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sharded drift check: the multiclass estimate", () => {
  it("merging 3 shards' part files gives the single run's estimates, intervals and checks", async () => {
    const single = (await runDriftCheck(loaded(), { cwd: dir, reference })).result;
    const prediction = single.prediction!;
    expect(prediction.calibration!.status).toBe("recalibrated");
    const accuracy = prediction.checks.find((c) => c.id === "estimated-accuracy")!;
    expect(accuracy.status).toBe("fail");
    expect(prediction.windows.at(-1)!.estimated!["accuracy"]!.ci![1]).toBeLessThan(0.6);
    expect(prediction.windows[0]!.estimated!["accuracy"]!.ci![0]).toBeGreaterThan(0.6);

    const results = mkdtempSync(join(dir, "results-"));
    for (let index = 1; index <= 3; index++) {
      const part = await driftShard(loaded(), { cwd: dir, reference }, { index, count: 3 });
      const written = await writePart(results, "churn", "drift", { index, count: 3 }, part);
      expect(JSON.parse(readFileSync(written, "utf8")).layers.estimate.length).toBeGreaterThan(0);
    }
    const merged = await mergeDrift(loaded(), { cwd: dir, reference }, results);
    expect(merged.result.prediction).toEqual(prediction);
  });
});
