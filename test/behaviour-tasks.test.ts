import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type EvaluateFixtures,
  multiclassManifest,
  regressionManifest,
  writeEvaluateFixtures,
} from "./support/evaluate-fixtures.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

// check-behaviour on a multiclass and a regression model, as the runner runs the bundle. The
// production model is the candidate's own file, so both must measure the same values.

const ACTION = join(import.meta.dirname, "..", "actions", "check-behaviour");
const PR = 7;

let fx: EvaluateFixtures;
let server: GitHubServer;
let ws: Workspace;

interface Test {
  name: string;
  unit: string;
  candidate: { status: string; value: number | null; reason: string };
  production: { status: string; value: number | null } | null;
  newlyFailing: boolean;
}

async function run(model: string, inputs: Record<string, string> = {}) {
  const result = await runAction(ACTION, {
    inputs: {
      manifest: `models/${model}/model.yml`,
      "production-model": `models/${model}/model.onnx`,
      ...inputs,
    },
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
    timeoutMs: 60_000,
  });
  const path = ws.path(`.gauntlet/${model}/behaviour.json`);
  const behaviour = result.outputs["result"] ? JSON.parse(readFileSync(path, "utf8")) : undefined;
  const tests = new Map<string, Test>((behaviour?.tests ?? []).map((t: Test) => [t.name, t]));
  return { ...result, behaviour, tests };
}

function expectSameOnBoth(tests: Map<string, Test>): void {
  for (const t of tests.values()) {
    expect(t.production!.value).toBe(t.candidate.value);
    expect(t.newlyFailing).toBe(false);
  }
}

beforeAll(() => {
  readFileSync(join(ACTION, "dist", "index.js"));
  fx = writeEvaluateFixtures();
}, 60_000);

afterAll(() => fx.remove());

beforeEach(async () => {
  server = await startGitHubServer();
  server.seed.pullRequest({ number: PR });
  ws = createWorkspace();
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("check-behaviour on every task, run as the runner runs it", () => {
  it("tests a multiclass model by its class probabilities, decided class and a named class's direction", async () => {
    ws.write("data/eval-multiclass.csv", fx.bytes("eval-multiclass.csv"));
    ws.write("models/plan/model.onnx", fx.bytes("models/multiclass.onnx"));
    ws.write(
      "models/plan/model.yml",
      `${multiclassManifest(fx.sha256("models/multiclass.onnx"))}behaviour:
  sample: 200
  invariance: [ { column: age, values: [30, 60], tolerance: 0.9 } ]
  directional: [ { column: monthly_charges, by: 20, expect: increase, class: 2, max-violations: 1 } ]
  edge-cases: true
  robustness: { noise: 0.05, max-flip-rate: 0.5, max-score-change: 0.9 }
`,
    );
    const result = await run("plan");
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(result.behaviour).toMatchObject({ schema: "gauntlet/behaviour@1", task: "multiclass" });
    expect([...result.tests.keys()]).toEqual([
      "invariance:age",
      "directional:monthly_charges",
      "edge-cases",
      "robustness-flip-rate",
      "robustness-score-change",
      "out-of-distribution",
    ]);
    expectSameOnBoth(result.tests);
    expect(result.tests.get("invariance:age")!.unit).toBe("largest spread of the class probabilities");
    expect(result.tests.get("invariance:age")!.candidate.value).toBeGreaterThan(0);
    expect(result.tests.get("directional:monthly_charges")!.candidate.reason).toMatch(
      /^raising monthly_charges by 20 moves the probability of class 2 the wrong way \(down\) on [\d.]+% of 200 rows/,
    );
    expect(result.tests.get("robustness-flip-rate")!.unit).toBe("share of decisions flipped");
    // Confidence is the largest class probability: a number in [-1, 1] as a difference of means.
    const ood = result.tests.get("out-of-distribution")!.candidate;
    expect(["pass", "warn"]).toContain(ood.status);
    expect(Math.abs(ood.value!)).toBeLessThanOrEqual(1);
    const failing = result.behaviour.checks.filter((c: { status: string }) => c.status === "fail").length;
    expect(result.exitCode).toBe(failing > 0 ? 1 : 0);
    const body = server.state.comments.find((c) => c.issueNumber === PR)!.body;
    expect(body).toContain("### Behaviour");
  });

  it("tests a regressor by its predicted values; a robustness test without tolerance is one error", async () => {
    ws.write("data/eval-regression.csv", fx.bytes("eval-regression.csv"));
    ws.write("models/charges/model.onnx", fx.bytes("models/regression.onnx"));
    const manifest = regressionManifest(fx.sha256("models/regression.onnx"), "models/charges/model.onnx");
    const behaviour = `behaviour:
  sample: 200
  invariance: [ { column: age, values: [30, 31], tolerance: 1000 } ]
  directional: [ { column: data_gb, by: 1, expect: increase, max-violations: 1 } ]
  robustness: { noise: 0.05, max-flip-rate: 1, tolerance: 0.5 }
`;
    ws.write("models/charges/model.yml", manifest + behaviour);
    const result = await run("charges", { comment: "false" });
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(result.exitCode).toBe(0);
    expect(result.behaviour).toMatchObject({ task: "regression", status: "pass" });
    expectSameOnBoth(result.tests);
    // A linear model moves every row by the same amount: all up, or all down.
    expect([0, 1]).toContain(result.tests.get("directional:data_gb")!.candidate.value);
    expect(result.tests.get("directional:data_gb")!.candidate.reason).toMatch(/moves the predicted value/);
    expect(result.tests.get("invariance:age")!.unit).toBe("largest spread of the predicted value");
    expect(result.tests.get("robustness-flip-rate")!.candidate.reason).toMatch(
      /^predicted values move more than 0\.5 on /,
    );
    expect(result.tests.get("out-of-distribution")!.candidate).toMatchObject({ status: "skip", value: null });

    ws.write("models/charges/model.yml", manifest + behaviour.replace(", tolerance: 0.5", ""));
    const bad = await run("charges", { comment: "false" });
    expect(bad.exitCode).toBe(1);
    const errors = bad.annotations.filter((a) => a.level === "error").map((a) => a.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /models\/charges\/model\.yml: behaviour\.robustness\.tolerance: a regressor's robustness test needs a tolerance/,
    );
    expect(bad.stdout + bad.stderr).not.toMatch(/\n\s+at .*\(.*\.js:\d+:\d+\)/);
  });
});
