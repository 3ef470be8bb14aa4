import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { evaluateCommand } from "../packages/cli/src/commands/evaluate.js";
import { mergeCommand } from "../packages/cli/src/commands/merge.js";
import {
  churnManifest,
  type EvaluateFixtures,
  multiclassManifest,
  placeChurn,
  regressionManifest,
  seedRegistry,
  writeEvaluateFixtures,
} from "./support/evaluate-fixtures.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const ACTION = join(import.meta.dirname, "..", "actions", "evaluate-slices");
const PR = 7;
const STACK = /\n\s+at .*\(.*\.js:\d+:\d+\)/;

let fx: EvaluateFixtures;
let server: GitHubServer;
let ws: Workspace;

async function run(inputs: Record<string, string>) {
  return runAction(ACTION, {
    inputs: { manifest: "models/churn/model.yml", ...inputs },
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
  });
}

/** The churn data's rows (header first), as placed in the workspace. */
const evalLines = () => readFileSync(ws.path("data/eval.csv"), "utf8").trimEnd().split("\n");

/** Adds a weight column `w` to data/eval.csv: row i (0-based) weighs `weightOf(i)`. */
function writeWeighted(weightOf: (i: number) => number): void {
  const [header, ...rows] = evalLines();
  ws.write("data/eval.csv", `${[`${header},w`, ...rows.map((r, i) => `${r},${weightOf(i)}`)].join("\n")}\n`);
}

const commentsOn = (number: number) => server.state.comments.filter((c) => c.issueNumber === number);
const readJson = (path: string) => JSON.parse(readFileSync(ws.path(path), "utf8"));
const tableRow = (body: string, slice: string) =>
  body.split("\n").find((line) => line.startsWith(`| ${slice} |`));

beforeAll(() => {
  // The bundle is what the runner executes: the build runs first.
  readFileSync(join(ACTION, "dist", "index.js"));
  fx = writeEvaluateFixtures();
});

afterAll(() => fx.remove());

beforeEach(async () => {
  server = await startGitHubServer();
  server.seed.pullRequest({ number: PR });
  ws = createWorkspace();
  placeChurn(ws, fx, "models/candidate.onnx");
  ws.write(
    "models/churn/model.yml",
    churnManifest({ sha256: fx.sha256("models/candidate.onnx"), baseline: "production" }),
  );
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("evaluate-slices, run as the runner runs it", () => {
  it("compares with the production release and marks the MA regression; a re-run keeps one comment", async () => {
    seedRegistry(server, {
      model: "churn",
      version: "1.2.0",
      artefact: fx.bytes("models/production.onnx"),
      older: { version: "1.1.0", artefact: fx.bytes("models/tree.onnx") },
    });
    const result = await run({});
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.outputs["status"]).toBe("warn");
    expect(result.outputs["passed"]).toBe("true");
    const evaluation = readJson(result.outputs["result"]!);
    expect(evaluation).toMatchObject({
      schema: "gauntlet/evaluation@1",
      model: { name: "churn", version: "1.3.0", sha256: fx.sha256("models/candidate.onnx") },
      task: "binary",
      rows: 5000,
      bootstrap: { replicates: 200, seed: 7 },
      threshold: 0.5,
    });
    expect(evaluation.baseline.source).toMatchObject({
      kind: "alias",
      reference: "production",
      version: "1.2.0",
    });
    expect(evaluation.baseline.model.sha256).toBe(fx.sha256("models/production.onnx"));
    const ma = evaluation.baseline.slices.find(
      (s: { key: object }) => JSON.stringify(s.key) === '{"region":"MA"}',
    );
    expect(ma.delta.roc_auc.value).toBeLessThan(-0.04);
    expect(ma.delta.roc_auc.ci[1]).toBeLessThan(0);
    expect(Number(result.outputs["regressions"])).toBeGreaterThan(0);
    expect(Number(result.outputs["roc_auc"])).toBeCloseTo(evaluation.overall.metrics.roc_auc.value, 10);
    expect(result.outputs["roc_auc-delta"]).toBe(String(evaluation.baseline.overall.delta.roc_auc.value));
    for (const phase of ["readMs", "scoreMs", "metricsMs", "bootstrapMs", "renderMs"]) {
      expect(evaluation.timings[phase]).toBeGreaterThanOrEqual(0);
    }
    // 200 replicates take some time, and are part of the metrics' time.
    expect(evaluation.timings.bootstrapMs).toBeGreaterThan(0);
    expect(evaluation.timings.bootstrapMs).toBeLessThanOrEqual(evaluation.timings.metricsMs);

    const body = commentsOn(PR)[0]!.body;
    expect(body).toContain("<!-- gauntlet:section=evaluation -->");
    expect(body).toContain("churn v1.2.0 (alias production)");
    expect(tableRow(body, "region\\=MA")).toContain("🔻");
    expect(body).toContain("xychart-beta");
    expect(result.annotations).toContainEqual(
      expect.objectContaining({ level: "warning", title: "gauntlet: significant-regression (region=MA)" }),
    );
    expect(result.summary).toContain("### Evaluation");

    const again = await run({});
    expect(again.exitCode).toBe(0);
    expect(commentsOn(PR)).toHaveLength(1);
    expect(again.outputs["comment-id"]).toBe(result.outputs["comment-id"]);
    expect(server.rejections()).toEqual([]);
  });

  it("resolves a version input to its release; fail-on: warning fails on the regression; a bad release is one error", async () => {
    seedRegistry(server, {
      model: "churn",
      version: "1.2.0",
      artefact: fx.bytes("models/production.onnx"),
      older: { version: "1.1.0", artefact: fx.bytes("models/tree.onnx") },
    });
    const result = await run({ baseline: "1.2.0", "fail-on": "warning", comment: "false" });
    expect(result.exitCode).toBe(1);
    expect(result.outputs["status"]).toBe("warn");
    expect(result.outputs["passed"]).toBe("false");
    const evaluation = readJson(".gauntlet/churn/evaluation.json");
    expect(evaluation.baseline.source).toMatchObject({
      kind: "version",
      version: "1.2.0",
      release: "churn v1.2.0",
    });

    // 1.1.0 is a tree model over the numeric features only: it cannot be fed this manifest's inputs.
    const mismatch = await run({ baseline: "1.1.0", comment: "false" });
    expect(mismatch.exitCode).toBe(1);
    const errors = mismatch.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(
      /evaluation\.baseline: the baseline churn v1\.1\.0: the model has no input named "region"/,
    );

    const missing = await run({ baseline: "9.9.9", comment: "false" });
    expect(missing.annotations.filter((a) => a.level === "error").map((a) => a.message)).toEqual([
      expect.stringContaining("evaluation.baseline: there is no published release tagged churn/v9.9.9"),
    ]);
    expect(mismatch.stdout + missing.stdout).not.toMatch(STACK);
    expect(server.rejections()).toEqual([]);
  });

  it("evaluates the first version of a multiclass model without a baseline and says so", async () => {
    ws.write("data/eval-multiclass.csv", fx.bytes("eval-multiclass.csv"));
    ws.write("models/plan/model.onnx", fx.bytes("models/multiclass.onnx"));
    ws.write("models/plan/model.yml", multiclassManifest(fx.sha256("models/multiclass.onnx")));
    const result = await run({ manifest: "models/plan/model.yml" });
    expect(result.exitCode).toBe(0);
    expect(result.outputs["status"]).toBe("pass");
    const evaluation = readJson(".gauntlet/plan/evaluation.json");
    expect(evaluation.baseline).toBeNull();
    expect(evaluation.baselineNote).toContain("first version of plan");
    expect(evaluation.overall.metrics.accuracy.value).toBeGreaterThan(0.7);
    expect(evaluation.overall.metrics.accuracy.ci[0]).toBeLessThan(evaluation.overall.metrics.accuracy.value);
    expect(evaluation.slices.length).toBeGreaterThan(3);
    expect(result.outputs["delta"]).toBe("");
    const body = commentsOn(PR)[0]!.body;
    expect(body).toContain("no baseline to compare with");
    expect(body).toContain("first version of plan");
    expect(server.rejections()).toEqual([]);
  });

  it("reports an alias that points at a commit without a release as one error", async () => {
    const commit = server.seed.commit({ message: "Unreleased", branch: "main" });
    server.seed.ref("tags/churn/production", commit.sha);
    const result = await run({ comment: "false" });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.filter((a) => a.level === "error").map((a) => a.message)).toEqual([
      expect.stringMatching(
        /evaluation\.baseline: the alias churn\/production points at commit \w+, but no release churn\/v\* is tagged there/,
      ),
    ]);
    expect(server.rejections()).toEqual([]);
  });

  it("evaluates a regression model against a baseline file", async () => {
    ws.write("data/eval-regression.csv", fx.bytes("eval-regression.csv"));
    ws.write("models/charges/model.onnx", fx.bytes("models/regression.onnx"));
    ws.write("models/charges/previous.onnx", fx.bytes("models/regression.onnx"));
    ws.write(
      "models/charges/model.yml",
      regressionManifest(fx.sha256("models/regression.onnx"), "models/charges/previous.onnx"),
    );
    const result = await run({ manifest: "models/charges/model.yml", comment: "false" });
    expect(result.exitCode).toBe(0);
    const evaluation = readJson(".gauntlet/charges/evaluation.json");
    expect(evaluation.threshold).toBeNull();
    expect(evaluation.baseline.source).toEqual({
      kind: "path",
      reference: "models/charges/previous.onnx",
      path: "models/charges/previous.onnx",
    });
    // The same model on the same rows: every paired change is exactly zero.
    expect(evaluation.baseline.overall.delta.rmse).toEqual({ value: 0, ci: [0, 0], ciAdjusted: [0, 0] });
    expect(evaluation.overall.metrics.rmse.value).toBeGreaterThan(5);
    expect(evaluation.slices.some((s: { key: object }) => Object.keys(s.key).length === 2)).toBe(true);
    expect(result.outputs["regressions"]).toBe("0");
  });

  const badInputs: [string, () => void, RegExp, string][] = [
    [
      "a corrupt artefact",
      () => {
        ws.write("models/churn/model.onnx", fx.bytes("models/corrupt.onnx"));
        ws.write("models/churn/model.yml", churnManifest({ sha256: fx.sha256("models/corrupt.onnx") }));
      },
      /not an ONNX model/,
      "artefact.path",
    ],
    [
      "a sha256 mismatch",
      () => ws.write("models/churn/model.onnx", fx.bytes("models/production.onnx")),
      /SHA-256/,
      "artefact.sha256",
    ],
    [
      "an input name the model does not have",
      () =>
        ws.write(
          "models/churn/model.yml",
          churnManifest({
            sha256: fx.sha256("models/candidate.onnx"),
            inputs:
              "numerics: [tenure_months, monthly_charges, support_calls, data_gb, age]\n    region: region\n    plan: plan",
          }),
        ),
      /no input named "numerics"/,
      "artefact.inputs.numerics",
    ],
    [
      "a missing label column",
      () =>
        ws.write(
          "models/churn/model.yml",
          churnManifest({ sha256: fx.sha256("models/candidate.onnx"), label: "churn_flag" }),
        ),
      /label column "churn_flag" is not in data\/eval\.csv/,
      "evaluation.label",
    ],
    [
      "data with a header and no rows",
      () => ws.write("data/eval.csv", `${readFileSync(ws.path("data/eval.csv"), "utf8").split("\n")[0]}\n`),
      /the evaluation data data\/eval\.csv has a header and no rows/,
      "evaluation.data",
    ],
    [
      "labels outside the classes",
      () => {
        const lines = readFileSync(ws.path("data/eval.csv"), "utf8").trimEnd().split("\n");
        lines[5] = lines[5]!.replace(/,[01]$/, ",2");
        lines[9] = lines[9]!.replace(/,[01]$/, ",yes");
        ws.write("data/eval.csv", `${lines.join("\n")}\n`);
      },
      /label column "churned" has 2 of 5000 rows .*"2" \(1 rows\), "yes" \(1 rows\)/,
      "evaluation.label",
    ],
    [
      "a negative sample weight",
      () => {
        writeWeighted((i) => (i === 41 ? -1 : 1));
        ws.write(
          "models/churn/model.yml",
          churnManifest({ sha256: fx.sha256("models/candidate.onnx"), weight: "w" }),
        );
      },
      /the weight column "w" is negative at data\/eval\.csv row 42 \(-1\)/,
      "evaluation.weight",
    ],
  ];

  it.each(badInputs)(
    "reports %s as one ::error naming the file and field",
    async (_, breakIt, problem, field) => {
      breakIt();
      const result = await run({});
      expect(result.exitCode).toBe(1);
      const errors = result.annotations.filter((a) => a.level === "error");
      expect(errors).toHaveLength(1);
      expect(errors[0]!.file).toBe("models/churn/model.yml");
      expect(errors[0]!.message).toMatch(problem);
      expect(errors[0]!.message).toContain(`models/churn/model.yml: ${field}`);
      expect(result.stdout).not.toContain("gauntlet bug");
      expect(result.stdout).not.toMatch(STACK);
      expect(result.outputs["passed"]).toBe("false");
      expect(commentsOn(PR)).toHaveLength(0);
      expect(server.rejections()).toEqual([]);
    },
  );

  /** The action and `gauntlet evaluate` (from the sources, so in one thread) on the same files. */
  async function actionAndCli() {
    ws.write("models/churn/production.onnx", fx.bytes("models/production.onnx"));
    const action = await run({
      baseline: "models/churn/production.onnx",
      comment: "false",
      "results-dir": ".gauntlet-action",
    });
    expect(action.exitCode).toBe(0);
    const printed: string[] = [];
    const io = {
      cwd: ws.dir,
      stdout: (t: string) => printed.push(t),
      stderr: (t: string) => printed.push(t),
    };
    const code = await evaluateCommand.run(
      [
        "--manifest",
        "models/churn/model.yml",
        "--baseline",
        "models/churn/production.onnx",
        "--results-dir",
        ws.path(".gauntlet-cli"),
      ],
      io,
    );
    expect(code).toBe(0);
    const numbers = (dir: string) => {
      const { timings: _, ...rest } = readJson(`${dir}/churn/evaluation.json`);
      return rest;
    };
    const cli = numbers(".gauntlet-cli");
    expect(cli.baseline.overall.delta.roc_auc.ci).not.toBeNull();
    // The action splits its replicates over worker threads (its bundle has the worker, the runner
    // and this machine two cores or more); the CLI, run from sources, computes them in one thread.
    expect(existsSync(join(ACTION, "dist", "replicate-worker.js"))).toBe(true);
    expect(availableParallelism()).toBeGreaterThan(1);
    expect(cli).toEqual(numbers(".gauntlet-action"));
    return { action, printed: printed.join("") };
  }

  const timingLine = /churn: read [\d.]+ s, score [\d.]+ s, metrics [\d.]+ s, bootstrap [\d.]+ s\n/;

  it("writes the same evaluation.json numbers as `gauntlet evaluate` on the same files", async () => {
    const { action, printed } = await actionAndCli();
    expect(printed).toContain(readFileSync(ws.path(".gauntlet-action/churn/evaluation.md"), "utf8").trim());
    expect(action.stdout).toMatch(timingLine);
    // How significance was decided is said in the report and recorded beside the deltas.
    const result = readJson(".gauntlet-action/churn/evaluation.json");
    expect(result.baseline.adjustment).toMatchObject({ method: "sup-t", confidence: 0.95 });
    expect(result.baseline.overall.delta.roc_auc.ciAdjusted).toHaveLength(2);
    expect(readFileSync(ws.path(".gauntlet-action/churn/evaluation.md"), "utf8")).toContain(
      "Significance is controlled across all",
    );
  });

  it("without a release to read offline, the CLI evaluates without a baseline and says how to add one", async () => {
    const printed: string[] = [];
    const io = {
      cwd: ws.dir,
      stdout: (t: string) => printed.push(t),
      stderr: (t: string) => printed.push(t),
    };
    const code = await evaluateCommand.run(
      ["--manifest", "models/churn/model.yml", "--results-dir", ws.path(".g")],
      io,
    );
    expect(code).toBe(0);
    expect(readJson(".g/churn/evaluation.json").baselineNote).toContain(
      "pass --baseline <path> to compare locally",
    );
    expect(printed.join("")).toContain("pass \\-\\-baseline &lt;path&gt; to compare locally");
  });

  it("shards on a matrix: shard runs write parts and never comment, the merge comments once as a single run", async () => {
    seedRegistry(server, {
      model: "churn",
      version: "1.2.0",
      artefact: fx.bytes("models/production.onnx"),
      older: { version: "1.1.0", artefact: fx.bytes("models/tree.onnx") },
    });
    const single = await run({ comment: "false", "results-dir": ".single" });
    expect(single.exitCode).toBe(0);
    for (const shard of ["1/3", "2/3", "3/3"]) {
      const part = await run({ shard });
      expect(part.stderr).toBe("");
      expect(part.exitCode).toBe(0);
      expect(part.outputs["result"]).toBe(`.gauntlet/churn/evaluation.part-${shard[0]}-of-3.json`);
      expect(readJson(part.outputs["result"]!).schema).toBe("gauntlet/evaluation-part@2");
    }
    expect(commentsOn(PR)).toHaveLength(0);

    const merged = await run({ merge: "true" });
    expect(merged.stderr).toBe("");
    expect(merged.exitCode).toBe(0);
    expect(merged.outputs["status"]).toBe(single.outputs["status"]);
    expect(merged.outputs["regressions"]).toBe(single.outputs["regressions"]);
    const result = readJson(".gauntlet/churn/evaluation.json");
    const reference = readJson(".single/churn/evaluation.json");
    expect(result.rows).toBe(5000);
    expect(result.slices.map((s: { key: object; n: number }) => [s.key, s.n])).toEqual(
      reference.slices.map((s: { key: object; n: number }) => [s.key, s.n]),
    );
    // Equal up to float32 score rounding, which onnxruntime may do differently per batch (see
    // evaluate-shard.test.ts); the merge itself is exact (part-rows.test.ts), AUC included.
    expect(result.overall.metrics.log_loss.value).toBeCloseTo(reference.overall.metrics.log_loss.value, 6);
    for (const metric of ["roc_auc", "average_precision"]) {
      expect(result.overall.metrics[metric].value).toBeCloseTo(reference.overall.metrics[metric].value, 6);
      result.baseline.overall.delta[metric].ci.forEach((end: number, i: number) => {
        expect(end).toBeCloseTo(reference.baseline.overall.delta[metric].ci[i], 6);
      });
    }
    expect(commentsOn(PR)).toHaveLength(1);
    expect(commentsOn(PR)[0]!.body).toContain("churn v1.2.0 (alias production)");

    const again = await run({ merge: "true" });
    expect(again.exitCode).toBe(0);
    expect(commentsOn(PR)).toHaveLength(1);
    expect(server.rejections()).toEqual([]);

    // The CLI merges the same parts into the same numbers.
    const io = { cwd: ws.dir, stdout: () => {}, stderr: () => {} };
    const args = ["--manifest", "models/churn/model.yml", "--kind", "evaluation"];
    const code = await mergeCommand.run([...args, "--results-dir", ws.path(".gauntlet")], io);
    expect(code).toBe(0);
    const { timings: _a, ...cli } = readJson(".gauntlet/churn/evaluation.json");
    const { timings: _b, ...action } = result;
    expect(cli).toEqual(action);
  });

  it("fails a merge with a missing part, and a bad shard input, with one clear error each", async () => {
    ws.write("models/churn/production.onnx", fx.bytes("models/production.onnx"));
    const baseline = "models/churn/production.onnx";
    for (const shard of ["1/3", "3/3"]) expect((await run({ shard, baseline })).exitCode).toBe(0);
    const merged = await run({ merge: "true" });
    expect(merged.exitCode).toBe(1);
    const errors = merged.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(
      "missing shard 2 of 3: evaluation.part-2-of-3.json is not in .gauntlet/churn",
    );
    expect(merged.stdout).not.toMatch(STACK);
    expect(commentsOn(PR)).toHaveLength(0);

    const typo = await run({ shard: "4/3" });
    expect(typo.exitCode).toBe(1);
    const inputErrors = typo.annotations.filter((a) => a.level === "error");
    expect(inputErrors).toHaveLength(1);
    expect(inputErrors[0]!.message).toContain("input 'shard': expected i/n with 1 ≤ i ≤ n");
    expect(typo.stdout).not.toContain("gauntlet bug");
  });
});

describe("sample weights (evaluation.weight), run as the runner runs it", () => {
  interface Group {
    key?: Record<string, string>;
    n: number | string;
    weight?: number;
    suppressed?: boolean;
    metrics: Record<string, { value: number | null }>;
  }

  it("gives every metric of the same rows repeated by their integer weight, and says so in the comment", async () => {
    ws.write("models/churn/production.onnx", fx.bytes("models/production.onnx"));
    const baseline = "models/churn/production.onnx";
    const weightOf = (i: number) => [1, 2, 0, 3, 1][i % 5]!;
    const [header, ...rows] = evalLines();
    // Row ids come from the key, so each copy gets a key of its own.
    const key = header!.split(",").indexOf("customer_id");
    const copies = rows.flatMap((row, i) =>
      Array.from({ length: weightOf(i) }, (_, k) =>
        row
          .split(",")
          .map((cell, c) => (c === key ? `${cell}-${k}` : cell))
          .join(","),
      ),
    );
    ws.write("data/repeated.csv", `${[header, ...copies].join("\n")}\n`);
    const sha256 = fx.sha256("models/candidate.onnx");
    ws.write("models/churn/model.yml", churnManifest({ sha256, data: "data/repeated.csv" }));
    const repeated = await run({ baseline, comment: "false", "results-dir": ".repeated" });
    expect(repeated.exitCode, repeated.stdout).toBe(0);

    writeWeighted(weightOf);
    ws.write("models/churn/model.yml", churnManifest({ sha256, weight: "w" }));
    const weighted = await run({ baseline });
    expect(weighted.stderr).toBe("");
    expect(weighted.exitCode).toBe(0);

    const want = readJson(".repeated/churn/evaluation.json");
    const got = readJson(weighted.outputs["result"]!);
    expect(got.rows).toBe(rows.length);
    expect(want.rows).toBe(copies.length);
    expect(got.weightColumn).toBe("w");
    expect(got.overall.weight).toBe(copies.length);
    // Equal up to float32 score rounding, which onnxruntime may do differently per batch.
    const same = (a: Group, b: Group) => {
      for (const [metric, m] of Object.entries(b.metrics)) {
        expect(a.metrics[metric]!.value, metric).toBeCloseTo(m.value!, 6);
      }
    };
    same(got.overall, want.overall);
    same({ n: 0, metrics: got.baseline.overall.delta }, { n: 0, metrics: want.baseline.overall.delta });
    const slices = new Map(want.slices.map((s: Group) => [JSON.stringify(s.key), s]));
    let compared = 0;
    for (const slice of got.slices as Group[]) {
      const other = slices.get(JSON.stringify(slice.key)) as Group;
      // Suppression counts rows, so a slice may be suppressed in one run and not the other.
      if (slice.suppressed || other.suppressed) continue;
      expect(slice.weight, JSON.stringify(slice.key)).toBe(other.n);
      same(slice, other);
      compared++;
    }
    expect(compared).toBeGreaterThan(8);

    const body = commentsOn(PR)[0]!.body;
    expect(body).toContain(
      `${rows.length} rows from data/eval.csv, weighted by \`w\` (total weight ${copies.length}.0)`,
    );
    expect(body).toContain("| Slice | n | weight | roc_auc | Baseline | Δ | |");
    expect(server.rejections()).toEqual([]);
  });
});
