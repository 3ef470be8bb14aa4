import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isUserError, OTHER, parseManifest, type UserError } from "@gauntlet/core";
import { logisticModel, regressionModel } from "@gauntlet/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LoadedManifest } from "../load-manifest.js";
import { offlineBaselineResolver } from "./choose-baseline.js";
import { evaluateModel } from "./evaluate-model.js";

// The bad inputs of the evaluate-slices issue that are about the data and the model's numbers
// rather than the files (corrupt artefact, hash, signature, label column, labels outside the
// classes and empty data are covered end to end in test/evaluate-slices.test.ts). Each test
// builds its own small table and model, so what a number should be is known from the data.

const FILE = "models/churn/model.yml";
const MODEL = "models/churn/model.onnx";
const BASELINE = "models/baseline.onnx";
const REGIONS = ["AE", "SA", "EG", "JO", "MA", "KW", "QA"];
const COLUMNS = ["customer_id", "x1", "x2", "region", "device", "churned"];
const WEIGHTS = { weights: [0.9, -0.6], bias: -0.3, features: ["x1", "x2"] };
/** The section's character budget (`renderEvaluationSection`'s default `maxChars`). */
const SECTION_CHARS = 40_000;

type Cell = string | number | null;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-eval-bad-"));
  mkdirSync(join(dir, "models/churn"), { recursive: true });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A seeded generator (mulberry32), so every table is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface TableOptions {
  /** The label of row `i`; default drawn from the model's own probability. */
  label?: (i: number) => number;
  /** The device of row `i`; default `"phone"`. */
  device?: (i: number) => string;
  /** Feature x1 of row `i` (null: missing); default uniform in [-2, 2]. */
  x1?: (i: number) => number | null;
}

/** `rows` rows of id, two features in [-2, 2], region (round robin), device and label. */
function table(rows: number, options: TableOptions = {}): Cell[][] {
  const next = random(11);
  const out: Cell[][] = [];
  for (let i = 0; i < rows; i++) {
    const drawn = Math.round((next() * 4 - 2) * 1000) / 1000;
    const x1 = options.x1 ? options.x1(i) : drawn;
    const x2 = Math.round((next() * 4 - 2) * 1000) / 1000;
    const p = 1 / (1 + Math.exp(-(0.9 * (x1 ?? 0) - 0.6 * x2 - 0.3)));
    const label = options.label ? options.label(i) : next() < p ? 1 : 0;
    out.push([`c${i}`, x1, x2, REGIONS[i % REGIONS.length]!, options.device?.(i) ?? "phone", label]);
  }
  return out;
}

function writeCsv(rows: readonly (readonly Cell[])[]): void {
  const lines = [COLUMNS.join(","), ...rows.map((row) => row.map((c) => (c === null ? "" : c)).join(","))];
  writeFileSync(join(dir, "eval.csv"), `${lines.join("\n")}\n`);
}

/** Writes a model and returns its SHA-256. */
function writeModel(path: string, bytes: Uint8Array): string {
  writeFileSync(join(dir, path), bytes);
  return createHash("sha256").update(bytes).digest("hex");
}

interface ManifestOptions {
  sha256: string;
  slices?: string;
  minSliceSize?: number;
  baseline?: string;
  outputs?: string;
}

function manifest(options: ManifestOptions): LoadedManifest {
  const text = `name: churn
version: 1.3.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: ${MODEL}
  sha256: "${options.sha256}"
  inputs:
    numeric: [x1, x2]
  outputs: ${options.outputs ?? "{ probabilities: probabilities }"}
  classes: [0, 1]
  positive: 1
data:
  key: customer_id
  columns:
    region: { type: category }
    device: { type: category }
evaluation:
  data: eval.csv
  label: churned
  metrics: [roc_auc, average_precision, log_loss, brier, f1, accuracy]
  slices: ${options.slices ?? "[region]"}
  min-slice-size: ${options.minSliceSize ?? 30}
  bootstrap: 50
  seed: 7
${options.baseline ? `  baseline: ${options.baseline}\n` : ""}`;
  return { file: FILE, manifest: parseManifest(text, FILE) };
}

const run = (loaded: LoadedManifest) =>
  evaluateModel(loaded, { cwd: dir, resolveBaseline: offlineBaselineResolver });

async function failure(loaded: LoadedManifest): Promise<UserError> {
  try {
    await run(loaded);
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error("expected a UserError, and the evaluation succeeded");
}

/** The problem after its "the candidate (<file>): " prefix, which is checked to be there. */
function candidateProblem(error: UserError): string {
  expect(error.problem).toMatch(/^the candidate[^:]*: /);
  return error.problem.replace(/^the candidate[^:]*: /, "");
}

/** The lines of the markdown that are rows of a table about slices (not the headline table). */
const sliceRows = (markdown: string) =>
  markdown.split("\n").filter((l) => /^\| (region|x1|device)\\=/.test(l));

describe("labels of a single class", () => {
  /** Candidate and baseline are both well-formed; only the labels are degenerate. */
  async function evaluateOneClass(only: 0 | 1) {
    writeCsv(table(700, { label: () => only }));
    const sha256 = writeModel(MODEL, logisticModel({ ...WEIGHTS, imputeValues: [0, 0] }));
    writeModel(BASELINE, logisticModel({ ...WEIGHTS, bias: 0.1, imputeValues: [0, 0] }));
    return run(manifest({ sha256, baseline: BASELINE }));
  }

  it.each([0, 1] as const)(
    "all labels %i: roc_auc is null with its reason overall, per slice and in the delta; the rest is computed",
    async (only) => {
      const { result, markdown, regressions } = await evaluateOneClass(only);
      const oneClass = /one class only: roc_auc needs positives and negatives/;
      const undefinedMetric = { value: null, ci: null, reason: expect.stringMatching(oneClass) };
      expect(result.rows).toBe(700);
      expect(result.overall.metrics.roc_auc).toEqual(undefinedMetric);
      expect(result.baseline!.overall.metrics.roc_auc).toEqual(undefinedMetric);
      expect(result.baseline!.overall.delta.roc_auc).toEqual({
        value: null,
        ci: null,
        reason: expect.stringMatching(/^undefined for the candidate: one class only/),
      });
      expect(result.slices).toHaveLength(REGIONS.length);
      for (const slice of result.slices) {
        expect(slice.suppressed).toBe(false);
        expect(slice.metrics.roc_auc).toEqual(undefinedMetric);
      }
      // The metrics that do not need both classes are still computed, with intervals.
      for (const name of ["log_loss", "brier", "accuracy"] as const) {
        const metric = result.overall.metrics[name]!;
        expect(metric.value, name).toBeTypeOf("number");
        expect(metric.ci![0], name).toBeLessThanOrEqual(metric.value!);
        expect(metric.ci![1], name).toBeGreaterThanOrEqual(metric.value!);
      }
      // Nothing NaN leaks into the file: every value is a number or null.
      expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
      expect(regressions.every((r) => r.metric !== "roc_auc")).toBe(true);
      // The report still renders: the undefined metric is a dash, not NaN or a crash.
      expect(markdown).toMatch(/^\| roc_auc ↑ \| — /m);
      expect(markdown).not.toMatch(/NaN|Infinity/);
    },
  );

  it("all labels 0: average_precision is null with its reason (no positive rows)", async () => {
    const { result } = await evaluateOneClass(0);
    const noPositives = {
      value: null,
      ci: null,
      reason: expect.stringContaining("no positive rows: average_precision needs one"),
    };
    expect(result.overall.metrics.average_precision).toEqual(noPositives);
    for (const slice of result.slices) expect(slice.metrics.average_precision).toEqual(noPositives);
    expect(result.baseline!.overall.delta.average_precision!.value).toBeNull();
  });

  it("all labels 1: average_precision is 1 with the interval [1, 1]", async () => {
    const { result } = await evaluateOneClass(1);
    expect(result.overall.metrics.average_precision).toEqual({ value: 1, ci: [1, 1] });
  });

  it("all labels 0: the report gives the reason roc_auc and average_precision are undefined", async () => {
    const { markdown } = await evaluateOneClass(0);
    expect(markdown).toContain("one class only");
    expect(markdown).toContain("no positive rows");
  });
});

describe("model inputs that do not parse", () => {
  it("fails with the count and first rows instead of scoring them as missing, also with an imputer", async () => {
    const rows = table(400);
    for (const i of [0, 9, 120, 121]) rows[i]![1] = "n/a";
    rows[300]![2] = "?";
    writeCsv(rows);
    const sha256 = writeModel(MODEL, logisticModel({ ...WEIGHTS, imputeValues: [0, 0] }));
    const error = await failure(manifest({ sha256 }));
    expect(error.message).toBe(
      `${FILE}: artefact.inputs.numeric: the model input column "x1" has 4 cells that do not parse as numbers ` +
        '(first: eval.csv row 1 = "n/a"; eval.csv row 10 = "n/a"; eval.csv row 121 = "n/a"), as do other input columns: x2 (1); ' +
        "the model would score them as missing values. " +
        'Fix: leave a missing value empty and write every other as a number, or clean "x1" before evaluating (validate-data\'s parse check lists every row)',
    );
  });

  it("scores empty cells as missing values without complaint when the model imputes", async () => {
    writeCsv(table(400, { x1: (i) => (i % 50 === 0 ? null : ((i % 40) - 20) / 10) }));
    const sha256 = writeModel(MODEL, logisticModel({ ...WEIGHTS, imputeValues: [0, 0] }));
    const { result } = await run(manifest({ sha256 }));
    expect(result.rows).toBe(400);
  });
});

describe("nested JSON evaluation data", () => {
  it("names the dotted label column a nested label became", async () => {
    const lines = table(100).map(([id, x1, x2, region, , label]) =>
      JSON.stringify({ customer_id: id, x1, x2, region, churned: { value: label, source: "crm" } }),
    );
    writeFileSync(join(dir, "eval.jsonl"), `${lines.join("\n")}\n`);
    const sha256 = writeModel(MODEL, logisticModel({ ...WEIGHTS, imputeValues: [0, 0] }));
    const error = await evaluateModel(manifest({ sha256, slices: "[]" }), {
      cwd: dir,
      resolveBaseline: offlineBaselineResolver,
      data: "eval.jsonl",
    }).then(
      () => undefined,
      (caught: unknown) => caught as UserError,
    );
    expect(error?.field).toBe("evaluation.label");
    expect(error?.fix).toBe(
      '"churned" is a nested object in the data, read as churned.value, churned.source: name the value by its dotted name, e.g. churned.value',
    );
  });
});

describe("unusable scores from the model", () => {
  it("a model without an imputer fed missing values: one UserError with the count and the first rows", async () => {
    const missing = new Set([4, 50, 51, 200, 299, 350]);
    writeCsv(table(400, { x1: (i) => (missing.has(i) ? null : ((i % 40) - 20) / 10) }));
    const sha256 = writeModel(MODEL, logisticModel(WEIGHTS));
    const error = await failure(manifest({ sha256 }));
    expect(error.file).toBe(FILE);
    expect(error.field).toBe("artefact.outputs.probabilities");
    expect(candidateProblem(error)).toBe(
      "the model output probabilities gave NaN on 6 of 400 rows (first: eval.csv row 5 = NaN; " +
        "eval.csv row 51 = NaN; eval.csv row 52 = NaN; eval.csv row 201 = NaN; eval.csv row 300 = NaN)",
    );
    expect(error.fix).toMatch(/add an imputer to the exported pipeline or impute the data/);
    expect(error.message.startsWith(`${FILE}: artefact.outputs.probabilities: the candidate`)).toBe(true);
  });

  it("an output without the sigmoid: values outside [0, 1] are counted and the raw scores shown", async () => {
    // The linear model's "probability" is x1 itself: 12 rows of 300 are outside [0, 1].
    const outside = new Map([
      [3, 1.5],
      [17, -0.25],
      [18, 2],
      [40, 1.01],
      [90, -3],
      [120, 7.5],
      [121, 1.2],
      [150, -0.5],
      [200, 4],
      [250, 1.75],
      [280, -1],
      [299, 3],
    ]);
    writeCsv(table(300, { x1: (i) => outside.get(i) ?? (i % 101) / 100 }));
    const sha256 = writeModel(MODEL, regressionModel({ weights: [1, 0], bias: 0, features: ["x1", "x2"] }));
    const error = await failure(manifest({ sha256, outputs: "{ probabilities: variable }" }));
    expect(error.file).toBe(FILE);
    expect(error.field).toBe("artefact.outputs.probabilities");
    expect(candidateProblem(error)).toBe(
      "the model output variable gave values outside [0, 1] on 12 of 300 rows (first: " +
        "eval.csv row 4 = 1.5; eval.csv row 18 = -0.25; eval.csv row 19 = 2; eval.csv row 41 = 1.0099999904632568; " +
        "eval.csv row 91 = -3)",
    );
    expect(error.fix).toMatch(
      /the output holds raw scores: name the probabilities output, or export with the sigmoid/,
    );
  });

  it("NaN and out-of-range rows together are both counted in the one error", async () => {
    const x1 = (i: number) => (i % 50 === 7 ? null : i % 25 === 3 ? 5 : 0.5);
    writeCsv(table(500, { x1 }));
    const sha256 = writeModel(MODEL, regressionModel({ weights: [1, 0], bias: 0, features: ["x1", "x2"] }));
    const error = await failure(manifest({ sha256, outputs: "{ probabilities: variable }" }));
    // Rows 7, 57, … (10 rows) are missing; rows 3, 28, … (20 rows) are 5.
    expect(error.problem).toMatch(/gave NaN on 10 and values outside \[0, 1\] on 20 of 500 rows/);
    expect(error.fix).toMatch(/add an imputer.*; values outside \[0, 1\] mean the output holds raw scores/);
  });

  it("a baseline that gives NaN is named as the baseline, with its file", async () => {
    writeCsv(table(300, { x1: (i) => (i === 10 ? null : (i % 40) / 10 - 2) }));
    const sha256 = writeModel(MODEL, logisticModel({ ...WEIGHTS, imputeValues: [0, 0] }));
    writeModel(BASELINE, logisticModel(WEIGHTS));
    const error = await failure(manifest({ sha256, baseline: BASELINE }));
    expect(error.file).toBe(FILE);
    expect(error.problem).toBe(
      `the baseline (${BASELINE}): the model output probabilities gave NaN on 1 of 300 rows (first: eval.csv row 11 = NaN)`,
    );
  });

  it("the candidate's error names its model file", async () => {
    writeCsv(table(100, { x1: (i) => (i === 0 ? null : 0.5) }));
    const sha256 = writeModel(MODEL, logisticModel(WEIGHTS));
    const error = await failure(manifest({ sha256 }));
    expect(error.problem).toContain(MODEL);
  });
});

describe("every slice below min-slice-size", () => {
  it.each([60, 1000])(
    "min-slice-size %i: every slice is suppressed as < k with no metrics; overall is reported",
    async (minSliceSize) => {
      // 200 rows: 7 regions of 28 or 29 rows, and 4 bins of x1 of about 50 rows each.
      writeCsv(table(200));
      const sha256 = writeModel(MODEL, logisticModel({ ...WEIGHTS, imputeValues: [0, 0] }));
      writeModel(BASELINE, logisticModel({ ...WEIGHTS, bias: 0.1, imputeValues: [0, 0] }));
      const loaded = manifest({
        sha256,
        baseline: BASELINE,
        minSliceSize,
        slices: "[region, { column: x1, bins: [-1, 0, 1] }]",
      });
      const { result, markdown } = await run(loaded);

      expect(result.minSliceSize).toBe(minSliceSize);
      expect(result.overall.n).toBe(200);
      expect(result.overall.metrics.roc_auc!.value).toBeGreaterThan(0.6);
      expect(result.overall.metrics.roc_auc!.ci).not.toBeNull();
      expect(result.baseline!.overall.delta.log_loss!.value).toBeTypeOf("number");
      expect(result.slices).toHaveLength(REGIONS.length + 4);
      // Exactly these fields: no true size, no metric and no delta of a suppressed slice.
      const suppressed = { n: `< ${minSliceSize}`, suppressed: true, metrics: {} };
      for (const [i, slice] of result.slices.entries()) {
        expect(slice).toEqual({ key: slice.key, ...suppressed });
        expect(result.baseline!.slices[i]).toEqual({ key: slice.key, ...suppressed, delta: {} });
      }
      expect(result.slices.map((s) => s.key)).toEqual(
        expect.arrayContaining([{ region: "AE" }, { x1: "< -1" }, { x1: "≥ 1" }]),
      );

      expect(markdown).toContain("No slice is large enough to report.");
      const line = markdown.split("\n").find((l) => l.startsWith("Suppressed"))!;
      expect(line).toMatch(new RegExp(`^Suppressed \\(fewer than ${minSliceSize} rows, no metrics\\): `));
      // Every slice is listed with "< k" (escaped), and none with its true size.
      expect(line.split(`(&lt; ${minSliceSize})`)).toHaveLength(result.slices.length + 1);
      expect(line.replaceAll(`(&lt; ${minSliceSize})`, "")).not.toMatch(/\(\d+\)/);
      expect(sliceRows(markdown)).toEqual([]);
      expect(markdown).not.toContain("<details>");
      expect(markdown).not.toContain("xychart-beta");
      // The headline table still reports overall, with intervals.
      expect(markdown).toMatch(/^\| roc_auc ↑ \| 0\.\d{3} \[0\.\d{3}, 0\.\d{3}\] \|/m);
    },
  );
});

describe("a slice column with 100,000 distinct values", () => {
  it("keeps 1,000 values, pools the rest into (other), and bounds evaluation.json and the report", async () => {
    // 120,000 rows: rows 0–99,999 each have their own device; the other 20,000 share 5 devices.
    const rows = 120_000;
    const device = (i: number) => (i < 100_000 ? `d${String(i).padStart(6, "0")}` : `shared-${i % 5}`);
    writeCsv(table(rows, { device }));
    const sha256 = writeModel(MODEL, logisticModel({ ...WEIGHTS, imputeValues: [0, 0] }));
    const { result, markdown } = await run(manifest({ sha256, slices: "[region, device]" }));

    expect(result.rows).toBe(rows);
    const devices = result.slices.filter((s) => "device" in s.key);
    // The 5 shared devices, the 995 smallest single-row ones (ties by value), and (other).
    expect(devices).toHaveLength(1001);
    const other = devices.find((s) => s.key["device"] === OTHER)!;
    expect(other).toMatchObject({ n: 99_005, suppressed: false, otherValues: 99_005 });
    expect(other.metrics.roc_auc!.value).toBeGreaterThan(0.6);
    expect(other.metrics.roc_auc!.ci).not.toBeNull();
    const shared = devices.filter((s) => s.key["device"]!.startsWith("shared-"));
    expect(shared.map((s) => s.n)).toEqual([4000, 4000, 4000, 4000, 4000]);
    const single = devices.filter((s) => s.key["device"]!.startsWith("d"));
    expect(single).toHaveLength(995);
    expect(single.every((s) => s.suppressed && s.n === "< 30")).toBe(true);
    expect(single.at(-1)!.key["device"]).toBe("d000994");
    expect(devices.reduce((sum, s) => sum + (typeof s.n === "number" ? s.n : 1), 0)).toBe(rows);

    // Bounded by the 1,000-value cap, not by the 100,000 values (about 80 kB here: the singles
    // are suppressed, so they carry no metrics).
    const json = JSON.stringify(result);
    expect(json.length).toBeLessThan(200_000);
    expect(json).not.toContain("d000995");

    expect(markdown.length).toBeLessThanOrEqual(SECTION_CHARS);
    expect(sliceRows(markdown).some((l) => l.startsWith("| device\\=\\(other\\) | 99005 |"))).toBe(true);
    expect(markdown).toMatch(/Suppressed \(fewer than 30 rows, no metrics\): .*, and \d+ more/);
    expect(markdown).not.toContain("d000995");
  }, 30_000);
});
