import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accuracy, createRng, isUserError, parseManifest, rocAuc, type UserError } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LoadedManifest } from "../load-manifest.js";
import { writePart } from "../shard-parts.js";
import { offlineBaselineResolver } from "./choose-baseline.js";
import { evaluateModel } from "./evaluate-model.js";
import { evaluateShard, mergeEvaluation } from "./evaluate-shard.js";

// Scores computed elsewhere (`evaluation.predictions`): no ONNX model exists in these tests; the
// artefact is an opaque file. What each number should be is computed here from the same scores.

const FILE = "models/svc/model.yml";
const ARTEFACT = "models/svc/image.digest";
const ROWS = 400;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-supplied-"));
  mkdirSync(join(dir, "models/svc"), { recursive: true });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A seeded generator, so every table is the same on every run. */
function random(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function write(path: string, text: string): string {
  writeFileSync(join(dir, path), text);
  return sha256(text);
}

function csv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return `${[header.join(","), ...rows.map((r) => r.join(","))].join("\n")}\n`;
}

/** Binary rows: id, region, label, the candidate's score and the baseline's (a noisier model). */
function binaryRows() {
  const next = random(5);
  return Array.from({ length: ROWS }, (_, i) => {
    const label = next() < 0.4 ? 1 : 0;
    const score =
      Math.round(Math.min(0.999, Math.max(0.001, 0.3 + 0.4 * label + (next() - 0.5) * 0.6)) * 1000) / 1000;
    const base =
      Math.round(Math.min(0.999, Math.max(0.001, 0.4 + 0.2 * label + (next() - 0.5) * 0.8)) * 1000) / 1000;
    return { id: `c${i}`, region: ["AE", "SA"][i % 2]!, label, score, base };
  });
}

function manifest(
  evaluation: string,
  extra = "",
  artefactSha = write(ARTEFACT, "sha256:0123\n"),
): LoadedManifest {
  const text = [
    "name: svc",
    "version: 1.0.0",
    "task: binary",
    '"owner": "@acme/ml"',
    `artefact: { path: ${ARTEFACT}, sha256: "${artefactSha}", classes: [0, 1], positive: 1 }`,
    "data: { key: id, columns: { id: { type: category } } }",
    "evaluation:",
    "  data: eval.csv",
    "  label: label",
    "  metrics: [roc_auc, accuracy]",
    "  slices: [region]",
    "  min-slice-size: 10",
    "  bootstrap: 50",
    evaluation,
    extra,
  ].join("\n");
  return { file: FILE, manifest: parseManifest(text, FILE) };
}

async function userError(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

const run = (loaded: LoadedManifest) =>
  evaluateModel(loaded, { cwd: dir, resolveBaseline: offlineBaselineResolver, threads: 1 });

describe("supplied scores in the evaluation data", () => {
  it("evaluates the columns as the candidate's and baseline's scores, and records the data's digest", async () => {
    const rows = binaryRows();
    const dataSha = write(
      "eval.csv",
      csv(
        ["id", "region", "label", "score", "base"],
        rows.map((r) => [r.id, r.region, r.label, r.score, r.base]),
      ),
    );
    const { result, markdown } = await run(manifest("  predictions: { candidate: score, baseline: base }"));
    const labels = rows.map((r) => r.label);
    const auc = rocAuc(
      labels,
      rows.map((r) => r.score),
    ).value!;
    const baseAuc = rocAuc(
      labels,
      rows.map((r) => r.base),
    ).value!;
    expect(result.overall.metrics.roc_auc!.value).toBeCloseTo(auc, 12);
    expect(result.baseline!.overall.metrics.roc_auc!.value).toBeCloseTo(baseAuc, 12);
    expect(result.baseline!.overall.delta.roc_auc!.value).toBeCloseTo(auc - baseAuc, 12);
    expect(result.overall.metrics.accuracy!.value).toBeCloseTo(
      accuracy(
        labels,
        rows.map((r) => r.score),
      ).value!,
      12,
    );
    expect(result.model.sha256).toBe(sha256("sha256:0123\n"));
    expect(result.baseline!.source).toEqual({ kind: "supplied", reference: "base", path: "eval.csv" });
    expect(result.predictions).toEqual({
      source: "eval.csv",
      files: [{ path: "eval.csv", sha256: dataSha }],
      key: null,
      candidate: ["score"],
      baseline: ["base"],
    });
    expect(markdown).toContain("Scores supplied, not computed here");
    expect(markdown).toContain(dataSha.slice(0, 12));
  });

  it("takes the positive class's column of a binary model's two probability columns, and checks their sum", async () => {
    const rows = binaryRows();
    const cells = rows.map((r) => [
      r.id,
      r.region,
      r.label,
      Math.round((1 - r.score) * 1000) / 1000,
      r.score,
    ]);
    write("eval.csv", csv(["id", "region", "label", "p0", "p1"], cells));
    const { result } = await run(manifest("  predictions: { candidate: [p0, p1] }"));
    const auc = rocAuc(
      rows.map((r) => r.label),
      rows.map((r) => r.score),
    ).value!;
    expect(result.overall.metrics.roc_auc!.value).toBeCloseTo(auc, 12);
    const off = cells.map((c, i) => (i === 8 ? [...c.slice(0, 3), 0.5, 0.8] : c));
    write("eval.csv", csv(["id", "region", "label", "p0", "p1"], off));
    const error = await userError(run(manifest("  predictions: { candidate: [p0, p1] }")));
    expect(error.problem).toContain(
      "on 1 of 400 rows the class probabilities do not sum to 1 within 0.005 (first: eval.csv row 9 sums to 1.3)",
    );
  });

  it("refuses a baseline model to run beside supplied scores", async () => {
    const rows = binaryRows();
    write(
      "eval.csv",
      csv(
        ["id", "region", "label", "score"],
        rows.map((r) => [r.id, r.region, r.label, r.score]),
      ),
    );
    const error = await userError(
      evaluateModel(manifest("  predictions: { candidate: score }"), {
        cwd: dir,
        baseline: "models/old.onnx",
        resolveBaseline: offlineBaselineResolver,
      }),
    );
    expect(error.field).toBe("the `baseline` input");
  });

  it("names a score column that holds text", async () => {
    const rows = binaryRows();
    const cells = rows.map((r, i) => [r.id, r.region, r.label, i % 2 === 0 ? "high" : "low"]);
    write("eval.csv", csv(["id", "region", "label", "score"], cells));
    const error = await userError(run(manifest("  predictions: { candidate: score }")));
    expect(error.field).toBe("evaluation.predictions.candidate");
    expect(error.problem).toContain("the column score of eval.csv holds category values, not numbers");
  });

  it("names a score column the data does not have", async () => {
    const rows = binaryRows();
    write(
      "eval.csv",
      csv(
        ["id", "region", "label", "score"],
        rows.map((r) => [r.id, r.region, r.label, r.score]),
      ),
    );
    const error = await userError(run(manifest("  predictions: { candidate: scores }")));
    expect(error.field).toBe("evaluation.predictions.candidate");
    expect(error.problem).toContain('"scores"');
  });
});

describe("a predictions file joined by key", () => {
  function writeEval(rows: ReturnType<typeof binaryRows>): void {
    write(
      "eval.csv",
      csv(
        ["id", "region", "label"],
        rows.map((r) => [r.id, r.region, r.label]),
      ),
    );
  }

  /** The error of evaluating `rows` against a predictions file of `header` and `cells`. */
  function fileError(
    rows: ReturnType<typeof binaryRows>,
    header: string[],
    cells: (string | number)[][],
  ): Promise<UserError> {
    writeEval(rows);
    write("models/svc/predictions.csv", csv(header, cells));
    return userError(run(manifest("  predictions: { file: models/svc/predictions.csv, candidate: p }")));
  }

  it("gives exactly the numbers of the same scores as columns, whatever the file's row order", async () => {
    const rows = binaryRows();
    write(
      "eval.csv",
      csv(
        ["id", "region", "label", "score", "base"],
        rows.map((r) => [r.id, r.region, r.label, r.score, r.base]),
      ),
    );
    const inline = await run(manifest("  predictions: { candidate: score, baseline: base }"));
    writeEval(rows);
    // Reversed, so a join that kept file order would pair the wrong rows.
    const fileSha = write(
      "models/svc/predictions.csv",
      csv(
        ["id", "p", "p_prod"],
        [...rows].reverse().map((r) => [r.id, r.score, r.base]),
      ),
    );
    const joined = await run(
      manifest("  predictions: { file: models/svc/predictions.csv, candidate: p, baseline: p_prod }"),
    );
    expect(joined.result.overall).toEqual(inline.result.overall);
    expect(joined.result.slices).toEqual(inline.result.slices);
    expect(joined.result.baseline!.overall).toEqual(inline.result.baseline!.overall);
    expect(joined.result.predictions).toEqual({
      source: "models/svc/predictions.csv",
      files: [{ path: "models/svc/predictions.csv", sha256: fileSha }],
      key: ["id"],
      candidate: ["p"],
      baseline: ["p_prod"],
    });
    expect(joined.result.baseline!.model.sha256).toBe(fileSha);
  });

  it("shards and merges to exactly the single run, recording the same predictions", async () => {
    const rows = binaryRows();
    writeEval(rows);
    write(
      "models/svc/predictions.csv",
      csv(
        ["id", "p", "q"],
        rows.map((r) => [r.id, r.score, r.base]),
      ),
    );
    const loaded = manifest("  predictions: { file: models/svc/predictions.csv, candidate: p, baseline: q }");
    const single = await run(loaded);
    const results = join(dir, "results");
    for (const index of [1, 2, 3]) {
      const part = await evaluateShard(
        loaded,
        { cwd: dir, resolveBaseline: offlineBaselineResolver },
        { index, count: 3 },
      );
      expect(part.predictions).toEqual(single.result.predictions);
      await writePart(results, "svc", "evaluation", { index, count: 3 }, part);
    }
    const merged = await mergeEvaluation(loaded, results);
    expect(merged.result.overall).toEqual(single.result.overall);
    expect(merged.result.slices).toEqual(single.result.slices);
    expect(merged.result.baseline).toEqual(single.result.baseline);
    expect(merged.result.predictions).toEqual(single.result.predictions);
  });

  it("fails naming the keys without predictions and how many", async () => {
    const rows = binaryRows();
    const scored = rows.filter((_, i) => i % 100 !== 7);
    const error = await fileError(
      rows,
      ["id", "p"],
      scored.map((r) => [r.id, r.score]),
    );
    expect(error.field).toBe("evaluation.predictions.file");
    expect(error.problem).toMatch(/^4 of 400 evaluation rows have no candidate scores/);
    expect(error.problem).toContain('id "c7"');
    expect(error.fix).toContain("score every evaluation row");
  });

  it("fails on duplicated keys before scoring, naming them", async () => {
    const rows = binaryRows();
    const repeated = [...rows, rows[3]!, rows[3]!, rows[9]!];
    const error = await fileError(
      rows,
      ["id", "p"],
      repeated.map((r) => [r.id, r.score]),
    );
    expect(error.field).toBe("evaluation.predictions.file");
    expect(error.problem).toContain("2 duplicated id values");
    expect(error.problem).toContain('"c3" × 3');
    expect(error.problem).toContain('"c9" × 2');
  });

  it("names a key column the predictions file lacks", async () => {
    const rows = binaryRows();
    const error = await fileError(
      rows,
      ["customer", "p"],
      rows.map((r) => [r.id, r.score]),
    );
    expect(error.field).toBe("data.key");
    expect(error.problem).toContain('no key column "id"');
  });

  it("fails on scores that are not numbers, naming the first", async () => {
    const rows = binaryRows();
    const cells = rows.map((r, i) => [r.id, i === 2 ? "high" : r.score]);
    const error = await fileError(rows, ["id", "p"], cells);
    expect(error.field).toBe("evaluation.predictions.file");
    expect(error.problem).toContain(
      '1 score cell that is not a number (first: models/svc/predictions.csv row 3 = "high")',
    );
  });

  it("fails on probabilities outside [0, 1]", async () => {
    const rows = binaryRows();
    const cells = rows.map((r, i) => [r.id, i === 5 ? 2.5 : r.score]);
    const error = await fileError(rows, ["id", "p"], cells);
    expect(error.field).toBe("evaluation.predictions.candidate");
    expect(error.problem).toContain('1 of 400 rows have a probability outside [0, 1] (first: id "c5" = 2.5)');
  });
});

describe("regression values", () => {
  it("evaluates a column of predicted values, and refuses an infinite one", async () => {
    const next = random(3);
    const rows = Array.from({ length: 200 }, (_, i) => {
      const y = Math.round(next() * 1000) / 10;
      return { id: `r${i}`, y, yhat: Math.round((y + (next() - 0.5) * 20) * 10) / 10 };
    });
    write(
      "eval.csv",
      csv(
        ["id", "y", "yhat"],
        rows.map((r) => [r.id, r.y, r.yhat]),
      ),
    );
    const sha = write(ARTEFACT, "opaque");
    const text = [
      "name: svc",
      "version: 1.0.0",
      "task: regression",
      '"owner": "@acme/ml"',
      `artefact: { path: ${ARTEFACT}, sha256: "${sha}" }`,
      "evaluation: { data: eval.csv, label: y, metrics: [rmse, mae], bootstrap: 0, predictions: { candidate: yhat } }",
    ].join("\n");
    const loaded = { file: FILE, manifest: parseManifest(text, FILE) };
    const { result } = await run(loaded);
    const rmse = Math.sqrt(rows.reduce((s, r) => s + (r.y - r.yhat) ** 2, 0) / rows.length);
    expect(result.overall.metrics.rmse!.value).toBeCloseTo(rmse, 10);
    write(
      "eval.csv",
      csv(
        ["id", "y", "yhat"],
        rows.map((r, i) => [r.id, r.y, i === 3 ? "Infinity" : r.yhat]),
      ),
    );
    const error = await userError(run(loaded));
    expect(error.field).toBe("evaluation.predictions.candidate");
    expect(error.problem).toContain(
      "1 of 200 rows have an infinite value (first: eval.csv row 4 = Infinity)",
    );
  });
});

describe("class probabilities", () => {
  const CLASSES = ["basic", "plus", "pro"];

  function multiclass(evaluation: string): LoadedManifest {
    const sha = write(ARTEFACT, "opaque");
    const text = [
      "name: svc",
      "version: 1.0.0",
      "task: multiclass",
      '"owner": "@acme/ml"',
      `artefact: { path: ${ARTEFACT}, sha256: "${sha}", classes: [${CLASSES.join(", ")}] }`,
      "data: { key: id }",
      "evaluation:",
      "  data: eval.csv",
      "  label: plan",
      "  metrics: [accuracy]",
      "  bootstrap: 0",
      evaluation,
    ].join("\n");
    return { file: FILE, manifest: parseManifest(text, FILE) };
  }

  /** Three-class rows whose probabilities sum to 1 up to 3-decimal rounding. */
  function rows(sumOff: (i: number) => number = () => 0) {
    const next = random(9);
    return Array.from({ length: 300 }, (_, i) => {
      const label = Math.floor(next() * 3);
      const raw = [next(), next(), next()];
      raw[label]! += 0.8;
      const total = raw.reduce((a, b) => a + b, 0);
      const p = raw.map((v) => Math.round((v / total) * 1000) / 1000);
      p[0] = Math.round((p[0]! + sumOff(i)) * 1000) / 1000;
      return { id: `c${i}`, plan: CLASSES[label]!, label, p };
    });
  }

  it("evaluates one probability column per class, in artefact.classes order", async () => {
    const data = rows();
    write(
      "eval.csv",
      csv(
        ["id", "plan", "p_basic", "p_plus", "p_pro"],
        data.map((r) => [r.id, r.plan, ...r.p]),
      ),
    );
    const { result } = await run(multiclass("  predictions: { candidate: [p_basic, p_plus, p_pro] }"));
    const flat = data.flatMap((r) => r.p);
    const expected = accuracy(
      data.map((r) => r.label),
      flat,
      { classes: 3 },
    ).value!;
    expect(result.overall.metrics.accuracy!.value).toBeCloseTo(expected, 12);
  });

  it("fails when a row's probabilities do not sum to 1, stating the tolerance", async () => {
    const data = rows((i) => (i === 4 ? 0.2 : 0));
    write(
      "eval.csv",
      csv(
        ["id", "plan", "p_basic", "p_plus", "p_pro"],
        data.map((r) => [r.id, r.plan, ...r.p]),
      ),
    );
    const error = await userError(run(multiclass("  predictions: { candidate: [p_basic, p_plus, p_pro] }")));
    expect(error.field).toBe("evaluation.predictions.candidate");
    expect(error.problem).toMatch(
      /on 1 of 300 rows the class probabilities do not sum to 1 within 0\.005 \(first: eval\.csv row 5 sums to 1\.2/,
    );
  });

  it("refuses scores for another number of classes than artefact.classes", () => {
    expect(() => multiclass("  predictions: { candidate: [p_basic, p_plus] }")).toThrowError(
      /evaluation\.predictions\.candidate: scores for 2 classes, but artefact\.classes lists 3 \(basic, plus, pro\)/,
    );
  });
});

describe("sample weights (evaluation.weight)", () => {
  const WEIGHTED = "  predictions: { candidate: score, baseline: base }\n  weight: w";
  /** Integer weights 0–3, so a weighted row is the same row repeated. */
  const weightOf = (i: number) => [1, 2, 0, 3, 1][i % 5]!;

  function writeWeighted(
    cells = binaryRows().map((r, i) => [r.id, r.region, r.label, r.score, r.base, weightOf(i)]),
  ) {
    write("eval.csv", csv(["id", "region", "label", "score", "base", "w"], cells));
  }

  it("gives every metric of the rows repeated by their integer weight, overall and per slice", async () => {
    const rows = binaryRows();
    writeWeighted();
    const weighted = await run(manifest(WEIGHTED));
    const repeated = rows.flatMap((r, i) =>
      Array.from({ length: weightOf(i) }, (_, k) => [`${r.id}-${k}`, r.region, r.label, r.score, r.base]),
    );
    write("eval.csv", csv(["id", "region", "label", "score", "base"], repeated));
    const plain = await run(manifest("  predictions: { candidate: score, baseline: base }"));
    const values = (group: { metrics: Record<string, { value: number | null } | undefined> }) =>
      Object.fromEntries(Object.entries(group.metrics).map(([name, m]) => [name, m!.value]));
    for (const [name, value] of Object.entries(values(plain.result.overall))) {
      expect(values(weighted.result.overall)[name]).toBeCloseTo(value!, 12);
    }
    for (const [s, slice] of plain.result.slices.entries()) {
      for (const [name, value] of Object.entries(values(slice))) {
        expect(values(weighted.result.slices[s]!)[name]).toBeCloseTo(value!, 12);
      }
    }
    expect(weighted.result.baseline!.overall.delta.roc_auc!.value).toBeCloseTo(
      plain.result.baseline!.overall.delta.roc_auc!.value!,
      12,
    );
    // Rows are counted as rows (weight 0 included); each total weight is the repeated run's rows.
    expect(weighted.result.rows).toBe(ROWS);
    expect(weighted.result.weightColumn).toBe("w");
    expect(weighted.result.overall.weight).toBe(repeated.length);
    expect(weighted.result.slices.map((s) => s.weight)).toEqual(plain.result.slices.map((s) => s.n));
    expect(weighted.markdown).toContain(`${ROWS} rows from eval.csv, weighted by \`w\``);
    expect(plain.result.weightColumn).toBeUndefined();
  });

  it("weighs a regression model's errors as scikit-learn's sample_weight does", async () => {
    const next = random(9);
    const rows = Array.from({ length: 300 }, (_, i) => {
      const y = Math.round(next() * 1000) / 10;
      return { id: `r${i}`, y, yhat: Math.round((y + (next() - 0.5) * 20) * 10) / 10, w: (i % 7) / 2 };
    });
    write(
      "eval.csv",
      csv(
        ["id", "y", "yhat", "w"],
        rows.map((r) => [r.id, r.y, r.yhat, r.w]),
      ),
    );
    const text = [
      "name: svc",
      "version: 1.0.0",
      "task: regression",
      '"owner": "@acme/ml"',
      `artefact: { path: ${ARTEFACT}, sha256: "${write(ARTEFACT, "opaque")}" }`,
      "evaluation: { data: eval.csv, label: y, metrics: [rmse, mae], bootstrap: 0, predictions: { candidate: yhat }, weight: w }",
    ].join("\n");
    const { result } = await run({ file: FILE, manifest: parseManifest(text, FILE) });
    const total = rows.reduce((s, r) => s + r.w, 0);
    const mean = (f: (r: (typeof rows)[number]) => number) =>
      rows.reduce((s, r) => s + r.w * f(r), 0) / total;
    expect(result.overall.metrics.rmse!.value).toBeCloseTo(Math.sqrt(mean((r) => (r.y - r.yhat) ** 2)), 10);
    expect(result.overall.metrics.mae!.value).toBeCloseTo(
      mean((r) => Math.abs(r.y - r.yhat)),
      10,
    );
    expect(result.overall.weight).toBeCloseTo(total, 10);
  });

  it("shards and merges to exactly the single weighted run", async () => {
    writeWeighted();
    const loaded = manifest(WEIGHTED);
    const single = await run(loaded);
    const results = join(dir, "results");
    for (const index of [1, 2]) {
      const shard = { index, count: 2 };
      const part = await evaluateShard(loaded, { cwd: dir, resolveBaseline: offlineBaselineResolver }, shard);
      expect(part.settings.weight).toBe("w");
      await writePart(results, "svc", "evaluation", shard, part);
    }
    const merged = await mergeEvaluation(loaded, results);
    expect(merged.result.overall).toEqual(single.result.overall);
    expect(merged.result.slices).toEqual(single.result.slices);
    expect(merged.result.baseline).toEqual(single.result.baseline);
  });

  it.each([
    ["text", "heavy", 'has a value that is not a number at eval.csv row 8 ("heavy")'],
    ["an empty cell", "", "has no value at eval.csv row 8"],
    ["a negative weight", -2, "is negative at eval.csv row 8 (-2)"],
    ["an infinite weight", "Infinity", "is not finite at eval.csv row 8 (Infinity)"],
    ["a NaN weight", "NaN", "is not finite at eval.csv row 8 (NaN)"],
  ])("names the row of %s in the weight column", async (_, bad, problem) => {
    const rows = binaryRows();
    writeWeighted(
      rows.map((r, i) => [r.id, r.region, r.label, r.score, r.base, i === 7 ? bad : weightOf(i)]),
    );
    const error = await userError(run(manifest(WEIGHTED)));
    expect(error.field).toBe("evaluation.weight");
    expect(error.problem).toContain(`the weight column "w" ${problem}`);
  });

  it("names the file of a glob that lacks the weight column", async () => {
    const cells = binaryRows().map((r, i) => [r.id, r.region, r.label, r.score, r.base, weightOf(i)]);
    write("eval-1.csv", csv(["id", "region", "label", "score", "base", "w"], cells.slice(0, 200)));
    const header = ["id", "region", "label", "score", "base"];
    write(
      "eval-2.csv",
      csv(
        header,
        cells.slice(200).map((c) => c.slice(0, 5)),
      ),
    );
    const error = await userError(
      evaluateModel(manifest(WEIGHTED), {
        cwd: dir,
        data: "eval-*.csv",
        resolveBaseline: offlineBaselineResolver,
        threads: 1,
      }),
    );
    expect(error.field).toBe("evaluation.weight");
    expect(error.problem).toContain('the weight column "w" is not in eval-2.csv');
  });

  it("refuses weights that are all 0, and a weight column the data lacks", async () => {
    writeWeighted(binaryRows().map((r) => [r.id, r.region, r.label, r.score, r.base, 0]));
    const zero = await userError(run(manifest(WEIGHTED)));
    expect(zero.field).toBe("evaluation.weight");
    expect(zero.problem).toContain(`the weight column "w" is 0 on every row of eval.csv (${ROWS} rows)`);
    const missing = await userError(run(manifest("  predictions: { candidate: score }\n  weight: weights")));
    expect(missing.field).toBe("evaluation.weight");
    expect(missing.problem).toContain(
      'the weight column "weights" is not in eval.csv; its columns are id, region',
    );
  });
});
