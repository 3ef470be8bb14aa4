import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isUserError, parseManifest, type UserError } from "@gauntlet/core";
import { writeFixtures } from "@gauntlet/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writePart } from "../shard-parts.js";
import { offlineBaselineResolver } from "./choose-baseline.js";
import { evaluateModel } from "./evaluate-model.js";
import { evaluateShard, mergeEvaluation } from "./evaluate-shard.js";

const FILE = "models/churn/model.yml";
let dir: string;
let sha256: string;

function manifestText(options: { key?: boolean; version?: string } = {}): string {
  return `name: churn
version: ${options.version ?? "1.3.0"}
task: binary
owner: "@acme/risk-ml"
artefact:
  path: models/churn/model.onnx
  sha256: "${sha256}"
  inputs:
    numeric: [tenure_months, monthly_charges, support_calls, data_gb, age]
    region: region
    plan: plan
  outputs: { probabilities: probabilities }
  classes: [0, 1]
  positive: 1
data:
${options.key === false ? "" : "  key: customer_id\n"}  columns:
    region: { type: category }
    plan: { type: category }
evaluation:
  data: eval.csv
  label: churned
  metrics: [roc_auc, average_precision, log_loss, brier, f1, accuracy, ece]
  slices:
    - region
    - { column: tenure_months, bins: [6, 12, 24, 60] }
    - [region, plan]
  min-slice-size: 30
  bootstrap: 200
  seed: 7
  baseline: models/production.onnx
`;
}

const loaded = (text = manifestText()) => ({ file: FILE, manifest: parseManifest(text, FILE) });
const options = () => ({ cwd: dir, resolveBaseline: offlineBaselineResolver });

/** Runs every shard of `count` into a fresh results directory and returns it. */
async function runShards(count: number, text = manifestText()): Promise<string> {
  const results = mkdtempSync(join(dir, "results-"));
  for (let index = 1; index <= count; index++) {
    const part = await evaluateShard(loaded(text), options(), { index, count });
    await writePart(results, "churn", "evaluation", { index, count }, part);
  }
  return results;
}

/**
 * Scores are the model's float32 outputs, and onnxruntime may round a row's score differently (by
 * one unit in the last place, at most 2^-24 ≈ 6e-8) depending on which rows share its batch, as
 * they do in a shard and in a single run. Metrics and interval endpoints built from such scores
 * agree to well within this; counts agree exactly.
 */
const SCORE_TOLERANCE = 1e-6;

/**
 * Asserts a merged evaluation equals the single run: integers (counts) exactly, other numbers
 * within SCORE_TOLERANCE (the merge itself is exact: see part-rows.test.ts). Returns how many
 * ROC AUC and average precision values (and interval endpoints) it compared.
 */
function expectMergedEqualsSingle(merged: unknown, single: unknown, path = "result"): number {
  if (typeof merged === "number" && typeof single === "number" && !Number.isInteger(single)) {
    expect(Math.abs(merged - single), path).toBeLessThanOrEqual(SCORE_TOLERANCE);
    return /(roc_auc|average_precision)\./.test(path) ? 1 : 0;
  }
  if (typeof merged !== "object" || merged === null) {
    expect(merged, path).toBe(single);
    return 0;
  }
  expect(Object.keys(merged).sort(), path).toEqual(Object.keys(single as object).sort());
  let ranked = 0;
  for (const [key, value] of Object.entries(merged)) {
    ranked += expectMergedEqualsSingle(value, (single as Record<string, unknown>)[key], `${path}.${key}`);
  }
  return ranked;
}

const caught = async (f: () => Promise<unknown>): Promise<UserError> => {
  try {
    await f();
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error("expected a UserError");
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-shard-eval-"));
  writeFixtures(dir, { rows: 5000, trainRows: 8000, seed: 7 });
  mkdirSync(join(dir, "models/churn"), { recursive: true });
  const candidate = readFileSync(join(dir, "models/candidate.onnx"));
  writeFileSync(join(dir, "models/churn/model.onnx"), candidate);
  sha256 = createHash("sha256").update(candidate).digest("hex");
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sharded evaluation through the steps", () => {
  it.each([2, 3, 5])(
    "merging %i shards gives the single run's evaluation.json, AUC and AP included",
    async (count) => {
      const single = await evaluateModel(loaded(), options());
      const results = await runShards(count);
      const merged = await mergeEvaluation(loaded(), results);
      const strip = ({ timings, ...rest }: typeof single.result) => rest;
      expect(merged.result.rows).toBe(5000);
      expect(merged.result.baseline).not.toBeNull();
      const ranked = expectMergedEqualsSingle(strip(merged.result), strip(single.result));
      // ROC AUC and AP values and interval ends, overall and per slice, candidate, baseline and delta.
      expect(ranked).toBeGreaterThan(100);
      expect(merged.regressions.length).toBe(single.regressions.length);
    },
    120_000,
  );

  it("splits rows by the key's hash: each shard has a share, together every row once", async () => {
    const parts = await Promise.all(
      [1, 2, 3].map((index) => evaluateShard(loaded(), options(), { index, count: 3 })),
    );
    const rows = parts.map((p) => p.data.rows);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(5000);
    for (const n of rows) expect(n).toBeGreaterThan(1500);
    expect(parts.every((p) => p.data.read === 5000)).toBe(true);
    // The same shard twice is the same part: the split does not depend on anything but the rows.
    const again = await evaluateShard(loaded(), options(), { index: 2, count: 3 });
    expect(again.rows).toEqual(parts[1]!.rows);
  }, 60_000);

  it("shards by row number when the manifest has no key, and still merges to the single run", async () => {
    const text = manifestText({ key: false });
    const single = await evaluateModel(loaded(text), options());
    const merged = await mergeEvaluation(loaded(text), await runShards(2, text));
    expect(merged.result.rows).toBe(single.result.rows);
    expect(merged.result.overall.n).toBe(single.result.overall.n);
    const strip = ({ timings, ...rest }: typeof single.result) => rest;
    expectMergedEqualsSingle(strip(merged.result), strip(single.result));
  }, 60_000);

  it("refuses missing, mixed and mismatched parts with one UserError naming the files", async () => {
    const results = await runShards(3);
    const folder = join(results, "churn");
    const part = (i: number) => join(folder, `evaluation.part-${i}-of-3.json`);

    const stray = join(folder, "evaluation.part-1-of-2.json");
    writeFileSync(stray, readFileSync(part(1)));
    const mixed = await caught(() => mergeEvaluation(loaded(), results));
    expect(mixed.problem).toMatch(/different shard counts \(2, 3\)/);
    expect(mixed.problem).toContain("evaluation.part-1-of-2.json");
    rmSync(stray);

    const two = readFileSync(part(2), "utf8");
    rmSync(part(2));
    const missing = await caught(() => mergeEvaluation(loaded(), results));
    expect(missing.problem).toBe(`missing shard 2 of 3: evaluation.part-2-of-3.json is not in ${folder}`);

    writeFileSync(part(2), readFileSync(part(1)));
    const duplicate = await caught(() => mergeEvaluation(loaded(), results));
    expect(duplicate.problem).toMatch(/named shard 2 of 3 but holds shard 1 of 3/);
    expect(duplicate.file).toBe(part(2));

    const other = JSON.parse(two);
    other.model.version = "1.2.9";
    writeFileSync(part(2), JSON.stringify(other));
    const version = await caught(() => mergeEvaluation(loaded(), results));
    expect(version.problem).toBe(`the parts disagree on model: ${part(1)} and ${part(2)} differ`);

    other.model.version = "1.3.0";
    other.settings.seed = 8;
    writeFileSync(part(2), JSON.stringify(other));
    expect((await caught(() => mergeEvaluation(loaded(), results))).problem).toMatch(
      /disagree on evaluation settings/,
    );

    writeFileSync(part(2), two);
    const bumped = manifestText({ version: "1.4.0" });
    expect((await caught(() => mergeEvaluation(loaded(bumped), results))).problem).toMatch(
      /the shards evaluated version 1.3.0, the manifest 1.4.0/,
    );

    const corrupt = JSON.parse(two);
    corrupt.rows.labels = "lots";
    writeFileSync(part(2), JSON.stringify(corrupt));
    const bad = await caught(() => mergeEvaluation(loaded(), results));
    expect(bad.problem).toMatch(
      /^not a valid partial evaluation \(rows.labels: expected \d+ bytes, found 3\)$/,
    );
    expect(bad.file).toBe(part(2));

    writeFileSync(part(2), two);
    expect((await mergeEvaluation(loaded(), results)).result.rows).toBe(5000);
    expect(readdirSync(folder).sort()).toEqual([1, 2, 3].map((i) => `evaluation.part-${i}-of-3.json`));
  }, 120_000);
});
