import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ColumnDrift,
  calibrationCurve,
  createRng,
  type DriftResult,
  type DriftState,
  isUserError,
  labelledScoreCounts,
  type Profile,
  parseManifest,
  type UserError,
} from "@gauntlet/core";
import { churnColumns, churnRows, predictionLogRows, writeCsv, writeJsonl } from "@gauntlet/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedReference, loadReference } from "../reference/load-reference.js";
import { writePart } from "../shard-parts.js";
import { driftShard } from "./drift-shard.js";
import { mergeDrift } from "./merge-drift.js";
import { runDriftCheck } from "./run-drift-check.js";

const NOW = "2025-06-01T00:00:00Z";
const FILE = "models/churn/model.yml";
const manifestText = (window = "6h") => `name: churn
version: 1.2.0
task: binary
owner: octocat
artefact:
  path: m.onnx
  inputs: { numeric: [tenure_months, monthly_charges, support_calls, data_gb, age], region: region, plan: plan }
  outputs: { probabilities: p }
  classes: [0, 1]
  positive: 1
monitoring:
  predictions: logs/*.jsonl
  version-field: model_version
  features: inputs
  id: request_id
  timestamp: ts
  score: score
  outcome: churned
  window: ${window}
`;
const score = (rows: readonly Record<string, unknown>[]) =>
  Float64Array.from(rows, (r) => 1 / (1 + Math.exp(Number(r["tenure_months"]) / 20 - 1)));

/** The quantile sketches' accuracy parameter (the profile builder's default). */
const SKETCH_K = 200;
/** A KLL sketch's normalised rank error stays below 2/k (the profile tests check it). */
const RANK_ERROR = 2 / SKETCH_K;
/** Float sums of the score tallies, merged in another order. */
const SUM_TOLERANCE = 1e-9;

let dir: string;
let reference: LoadedReference;
const loaded = (window?: string) => ({ file: FILE, manifest: parseManifest(manifestText(window), FILE) });

async function runShards(count: number, window?: string): Promise<string> {
  const results = mkdtempSync(join(dir, "results-"));
  for (let index = 1; index <= count; index++) {
    const part = await driftShard(loaded(window), { cwd: dir, reference }, { index, count });
    await writePart(results, "churn", "drift", { index, count }, part);
  }
  return results;
}

/**
 * How far a sketch-based score (Wasserstein in reference standard deviations) of a merged run may
 * be from the single run's: each run's current-side sketch is within RANK_ERROR of the exact CDF,
 * so the two CDFs differ by at most 2·RANK_ERROR everywhere, and the distance by that times the
 * value range over the scale (`comparedWith` sketches count twice: both sides were rebuilt).
 */
function sketchBound(current: Profile, comparedWith: Profile, column: string, sides: 1 | 2): number {
  const cur = current.columns[column];
  const ref = comparedWith.columns[column];
  if (cur?.kind !== "number" || ref?.kind !== "number" || !ref.std) return 0;
  return (2 * RANK_ERROR * sides * ((cur.max ?? 0) - (cur.min ?? 0))) / ref.std;
}

/** Asserts one column's drift of a merged run against the single run's, within `bound` for its score. */
function expectColumn(merged: ColumnDrift, single: ColumnDrift, bound: number, where: string): void {
  expect(merged.details.values, where).toEqual(single.details.values);
  expect(merged.details.nullRate, where).toEqual(single.details.nullRate);
  expect(merged.method, where).toBe(single.method);
  if (single.score === null) {
    expect(merged.score, where).toBeNull();
    return;
  }
  const exact = merged.method === "jensen-shannon" || merged.method === "psi" ? 1e-12 : bound;
  expect(Math.abs(merged.score! - single.score), where).toBeLessThanOrEqual(exact);
  const limits = single.details.thresholds;
  const nearLimit = limits && [limits.warn, limits.alert].some((l) => Math.abs(single.score! - l) <= exact);
  if (!nearLimit) expect(merged.level, where).toBe(single.level);
}

function expectClose(merged: number | null | undefined, single: number | null | undefined, where: string) {
  if (single === null || single === undefined) {
    expect(merged, where).toBe(single);
    return;
  }
  expect(Math.abs(merged! - single), where).toBeLessThanOrEqual(
    SUM_TOLERANCE * Math.max(1, Math.abs(single)),
  );
}

function expectMergedDrift(merged: DriftResult, single: DriftResult, windows: Profile[], overall: Profile) {
  expect(merged.rows).toEqual(single.rows);
  expect(merged.level).toBe(single.level);
  expect(merged.status).toBe(single.status);
  expect(merged.windows.map((w) => [w.start, w.end, w.rows, w.labelled])).toEqual(
    single.windows.map((w) => [w.start, w.end, w.rows, w.labelled]),
  );
  const byName = (columns: ColumnDrift[]) => new Map(columns.map((c) => [c.column, c]));
  const singleColumns = byName(single.columns);
  for (const column of merged.columns) {
    // A data-file reference keeps its values, and so do the shards: scores equal the single run's.
    const bound = column.details.approximate ? sketchBound(overall, reference.profile, column.column, 1) : 0;
    expect(column.details.approximate, column.column).toBeUndefined();
    expectColumn(column, singleColumns.get(column.column)!, bound, `columns.${column.column}`);
  }
  expect(merged.columns.length).toBe(single.columns.length);
  merged.windows.forEach((w, i) => {
    const s = single.windows[i]!;
    for (const field of ["estimatedAccuracy", "estimatedRocAuc", "realisedAccuracy"] as const) {
      expectClose(w[field], s[field], `windows.${i}.${field}`);
    }
    for (const field of ["rows", "meanScore", "lowConfidenceShare", "positiveShare"] as const) {
      expectClose(w.health[field], s.health[field], `windows.${i}.health.${field}`);
    }
    if (s.health.scoreDrift) {
      const bound = s.health.scoreDrift.details.approximate
        ? sketchBound(windows[i]!, windows[0]!, "score", 2)
        : 0;
      expectColumn(w.health.scoreDrift!, s.health.scoreDrift, bound, `windows.${i}.scoreDrift`);
    }
  });
  for (const field of ["rows", "meanScore", "lowConfidenceShare", "positiveShare"] as const) {
    expectClose(merged.health[field], single.health[field], `health.${field}`);
  }
  const performance = merged.performance!;
  expect(performance.labelled).toBe(single.performance!.labelled);
  expect(performance.realisedSample).toBe(single.performance!.realisedSample);
  // Every labelled row fits the sample, which is put in score order: realised metrics are exact.
  expect(performance.realised).toEqual(single.performance!.realised);
  expect(performance.calibration).toEqual(single.performance!.calibration);
  expect(performance.calibration.status).toBe("recalibrated");
  for (const [name, value] of Object.entries(performance.estimated)) {
    const one = single.performance!.estimated[name]!;
    expectClose(value.value, one.value, `estimated.${name}`);
    expect(value.ci, `estimated.${name}.ci`).toHaveLength(2);
    expectClose(value.ci![0], one.ci![0], `estimated.${name}.ci[0]`);
    expectClose(value.ci![1], one.ci![1], `estimated.${name}.ci[1]`);
  }
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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-shard-drift-"));
  mkdirSync(join(dir, "data"));
  mkdirSync(join(dir, "logs"));
  writeCsv(join(dir, "data/ref.csv"), churnColumns(false), churnRows({ seed: 3, rows: 3_000, now: NOW }));
  const logs = { seed: 9, now: NOW, score, modelVersion: "1.2.0", drifted: true, otherVersionFraction: 0.1 };
  writeJsonl(join(dir, "logs/a.jsonl"), predictionLogRows({ ...logs, rows: 2_000 }));
  writeJsonl(join(dir, "logs/b.jsonl"), predictionLogRows({ ...logs, seed: 10, rows: 1_500 }));
  reference = await loadReference("data/ref.csv", { cwd: dir, manifest: loaded().manifest });
  // Labelled reference scores, as promote's profile carries them: the CBPE estimate is recalibrated
  // and has an interval, which a merge must reproduce.
  const rng = createRng("shard-calibration");
  const scores = Float64Array.from({ length: 2_000 }, () => rng.next());
  const labels = scores.map((p) => rng.bernoulli(p ** 1.5));
  reference.profile.calibration = {
    label: "churned",
    positive: "1",
    rows: scores.length,
    bins: calibrationCurve(scores, labels, 10),
    labelledScores: labelledScoreCounts(scores, labels),
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sharded drift check through the steps", () => {
  it.each([2, 3, 5])(
    "merging %i shards gives the single run's drift.json: counts exactly, sketch scores within the rank-error bound",
    async (count) => {
      const single = await runDriftCheck(loaded(), { cwd: dir, reference });
      const results = await runShards(count);
      const merged = await mergeDrift(loaded(), { cwd: dir, reference }, results);
      expect(single.result.rows.read).toBe(3_500);
      expect(single.result.rows.otherVersions["1.1.0"]).toBeGreaterThan(0);
      // The bounds use each window's exact value range, from every shard's part.
      const states = Array.from({ length: count }, (_, i) => {
        const file = join(results, "churn", `drift.part-${i + 1}-of-${count}.json`);
        return JSON.parse(readFileSync(file, "utf8")).state as DriftState;
      });
      const starts = [...new Set(states.flatMap((st) => st.windows.map((w) => w.start)))].sort(
        (a, b) => a - b,
      );
      const windows = starts.map((start) =>
        widest(states.flatMap((st) => st.windows.filter((w) => w.start === start).map((w) => w.profile))),
      );
      expect(windows).toHaveLength(single.result.windows.length);
      const overall = widest(windows);
      expectMergedDrift(merged.result, single.result, windows, overall);
    },
    60_000,
  );

  it("merges segments from the parts, and only parts of the same slices", async () => {
    const withSegments = {
      file: FILE,
      manifest: parseManifest(`${manifestText()}  slices: [region]\n`, FILE),
    };
    const sharded = mkdtempSync(join(dir, "results-"));
    for (const index of [1, 2]) {
      const part = await driftShard(withSegments, { cwd: dir, reference }, { index, count: 2 });
      await writePart(sharded, "churn", "drift", { index, count: 2 }, part);
    }
    const merged = await mergeDrift(withSegments, { cwd: dir, reference }, sharded);
    expect(merged.markdown).not.toContain("Not computed in a sharded run");
    expect(merged.result.segments!.segments.length).toBeGreaterThan(1);
    const results = await runShards(2);
    await expect(mergeDrift(withSegments, { cwd: dir, reference }, results)).rejects.toThrow(
      "different settings",
    );
    expect((await mergeDrift(loaded(), { cwd: dir, reference }, results)).result.segments).toBeUndefined();
  });

  it("assigns log rows by monitoring.id: shards are disjoint and cover every row", async () => {
    const parts = await Promise.all(
      [1, 2, 3].map((index) => driftShard(loaded(), { cwd: dir, reference }, { index, count: 3 })),
    );
    expect(parts.reduce((sum, p) => sum + p.state.rows.read, 0)).toBe(3_500);
    for (const p of parts) expect(p.state.rows.read).toBeGreaterThan(900);
    const again = await driftShard(loaded(), { cwd: dir, reference }, { index: 3, count: 3 });
    expect(again.state).toEqual(parts[2]!.state);
  });

  it("refuses parts of another window, reference or shard count, naming the files", async () => {
    const results = await runShards(2);
    const folder = join(results, "churn");
    const part = (i: number) => join(folder, `drift.part-${i}-of-2.json`);
    const original = readFileSync(part(2), "utf8");

    const hourly = await driftShard(loaded("1h"), { cwd: dir, reference }, { index: 2, count: 2 });
    writeFileSync(part(2), JSON.stringify(hourly));
    const window = await caught(() => mergeDrift(loaded(), { cwd: dir, reference }, results));
    expect(window.problem).toBe(`the parts disagree on settings: ${part(1)} and ${part(2)} differ`);

    writeFileSync(part(2), original);
    writeCsv(join(dir, "data/ref2.csv"), churnColumns(false), churnRows({ seed: 4, rows: 3_000, now: NOW }));
    const other = await loadReference("data/ref2.csv", { cwd: dir, manifest: loaded().manifest });
    const changed = await caught(() => mergeDrift(loaded(), { cwd: dir, reference: other }, results));
    expect(changed.problem).toBe(
      `the shards ran with a different reference profile than this merge (${part(1)})`,
    );

    rmSync(part(1));
    const missing = await caught(() => mergeDrift(loaded(), { cwd: dir, reference }, results));
    expect(missing.problem).toBe(`missing shard 1 of 2: drift.part-1-of-2.json is not in ${folder}`);

    const tampered = JSON.parse(original);
    tampered.shard.index = 1;
    tampered.state.windows[0].profile.rows = -4;
    writeFileSync(part(1), JSON.stringify(tampered));
    const bad = await caught(() => mergeDrift(loaded(), { cwd: dir, reference }, results));
    expect(bad.file).toBe(part(1));
    expect(bad.problem).toMatch(/^not a drift-check state \(.* at windows\.0\.profile\.rows\)$/);
  });
});

/** The widest value range of each numeric column over the windows (the overall profile's range). */
function widest(windows: Profile[]): Profile {
  const columns: Profile["columns"] = {};
  for (const w of windows) {
    for (const [name, column] of Object.entries(w.columns)) {
      const seen = columns[name];
      if (column.kind !== "number" || seen?.kind !== "number") {
        columns[name] ??= column;
        continue;
      }
      const min = Math.min(seen.min ?? Number.POSITIVE_INFINITY, column.min ?? Number.POSITIVE_INFINITY);
      const max = Math.max(seen.max ?? Number.NEGATIVE_INFINITY, column.max ?? Number.NEGATIVE_INFINITY);
      columns[name] = { ...seen, min, max };
    }
  }
  return { ...windows[0]!, columns };
}
