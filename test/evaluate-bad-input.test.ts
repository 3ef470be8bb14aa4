import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { logisticModel, regressionModel } from "@gauntlet/fixtures";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

// The bad model outputs and degenerate labels of the evaluate-slices issue, through the bundled
// action as the runner runs it (packages/steps/src/evaluate/evaluate-bad-input.test.ts covers
// them, and the slice cases, in detail against evaluateModel).

const ACTION = join(import.meta.dirname, "..", "actions", "evaluate-slices");
const PR = 7;
const STACK = /\n\s+at .*\(.*\.js:\d+:\d+\)/;
const MANIFEST = "models/churn/model.yml";
const WEIGHTS = { weights: [0.9, -0.6], bias: -0.3, features: ["x1", "x2"] };

let server: GitHubServer;
let ws: Workspace;

/** 300 rows over three regions; row i has x1 = `x1(i)` (null: missing) and label `label(i)`. */
function writeData(x1: (i: number) => number | null, label: (i: number) => number): void {
  const lines = ["customer_id,x1,x2,region,churned"];
  for (let i = 0; i < 300; i++) {
    const x = x1(i);
    lines.push(
      `c${i},${x === null ? "" : x},${((i * 7) % 13) / 6 - 1},${["AE", "SA", "EG"][i % 3]},${label(i)}`,
    );
  }
  ws.write("data/eval.csv", `${lines.join("\n")}\n`);
}

function writeModel(bytes: Uint8Array, outputs = "{ probabilities: probabilities }"): void {
  ws.write("models/churn/model.onnx", bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  ws.write(
    MANIFEST,
    `name: churn
version: 1.3.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: models/churn/model.onnx
  sha256: "${sha256}"
  inputs:
    numeric: [x1, x2]
  outputs: ${outputs}
  classes: [0, 1]
  positive: 1
data:
  key: customer_id
  columns:
    region: { type: category }
evaluation:
  data: data/eval.csv
  label: churned
  metrics: [roc_auc, average_precision, log_loss, brier]
  slices: [region]
  min-slice-size: 30
  bootstrap: 50
  seed: 7
`,
  );
}

async function run() {
  return runAction(ACTION, {
    inputs: { manifest: MANIFEST },
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
  });
}

const commentsOn = (number: number) => server.state.comments.filter((c) => c.issueNumber === number);

beforeAll(() => {
  // The bundle is what the runner executes: the build runs first.
  readFileSync(join(ACTION, "dist", "index.js"));
});

beforeEach(async () => {
  server = await startGitHubServer();
  server.seed.pullRequest({ number: PR });
  ws = createWorkspace();
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("evaluate-slices on unusable model scores and one-class labels", () => {
  const cases: [string, () => void, string][] = [
    [
      "NaN from a model without an imputer fed missing values",
      () => {
        writeData(
          (i) => (i % 60 === 5 ? null : (i % 20) / 10 - 1),
          (i) => i % 2,
        );
        writeModel(logisticModel(WEIGHTS));
      },
      "the model output probabilities gave NaN on 5 of 300 rows (first: data/eval.csv row 6 = NaN;",
    ],
    [
      "values above 1 from an output without the sigmoid",
      () => {
        writeData(
          (i) => (i % 100 === 0 ? 1.5 : (i % 10) / 10),
          (i) => i % 2,
        );
        writeModel(
          regressionModel({ weights: [1, 0], bias: 0, features: ["x1", "x2"] }),
          "{ probabilities: variable }",
        );
      },
      "the model output variable gave values outside [0, 1] on 3 of 300 rows (first: data/eval.csv row 1 = 1.5;",
    ],
  ];

  it.each(cases)(
    "reports %s as one ::error naming the file, field and count",
    async (_, breakIt, problem) => {
      breakIt();
      const result = await run();
      expect(result.exitCode).toBe(1);
      const errors = result.annotations.filter((a) => a.level === "error");
      expect(errors).toHaveLength(1);
      expect(errors[0]!.file).toBe(MANIFEST);
      expect(errors[0]!.message).toContain(`${MANIFEST}: artefact.outputs.probabilities: the candidate`);
      expect(errors[0]!.message).toContain(problem);
      expect(errors[0]!.message).toContain("Fix: ");
      expect(result.stdout).not.toContain("gauntlet bug");
      expect(result.stdout).not.toMatch(STACK);
      expect(result.outputs["passed"]).toBe("false");
      expect(result.outputs["status"]).toBe("fail");
      // Nothing computed from the unusable scores is published.
      expect(existsSync(ws.path(".gauntlet/churn/evaluation.json"))).toBe(false);
      expect(commentsOn(PR)).toHaveLength(0);
      expect(server.rejections()).toEqual([]);
    },
  );

  it("evaluates labels of one class: roc_auc is null with its reason, the rest is reported", async () => {
    writeData(
      (i) => (i % 20) / 10 - 1,
      () => 0,
    );
    writeModel(logisticModel({ ...WEIGHTS, imputeValues: [0, 0] }));
    const result = await run();
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.outputs["passed"]).toBe("true");
    expect(result.outputs["roc_auc"]).toBe("");
    const evaluation = JSON.parse(readFileSync(ws.path(result.outputs["result"]!), "utf8"));
    expect(evaluation.overall.metrics.roc_auc).toEqual({
      value: null,
      ci: null,
      reason: "one class only: roc_auc needs positives and negatives",
    });
    expect(evaluation.overall.metrics.average_precision.reason).toBe(
      "no positive rows: average_precision needs one",
    );
    expect(evaluation.overall.metrics.log_loss.value).toBeGreaterThan(0);
    const body = commentsOn(PR)[0]!.body;
    expect(body).toMatch(/^\| roc_auc ↑ \| — /m);
    expect(body).toMatch(/^\| log_loss ↓ \| \d\.\d{3} \[/m);
    expect(body).not.toMatch(/NaN|null/);
    expect(server.rejections()).toEqual([]);
  });
});
