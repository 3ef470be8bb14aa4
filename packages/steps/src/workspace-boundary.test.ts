import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isUserError, parseManifest, type UserError } from "@gauntlet/core";
import { logisticModel } from "@gauntlet/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDriftCheck } from "./drift/run-drift-check.js";
import { offlineBaselineResolver } from "./evaluate/choose-baseline.js";
import { evaluateModel } from "./evaluate/evaluate-model.js";
import { gateModel } from "./gate/gate-model.js";
import type { LoadedManifest } from "./load-manifest.js";
import { loadReference } from "./reference/load-reference.js";
import { validateData } from "./validate.js";

// Every path a manifest or an input names is read only when it is a regular file inside the
// workspace. Each step is driven with one path leading out, and must refuse it naming the
// manifest and the field, before reading a byte of the outside file.

const FILE = "models/churn/model.yml";
const SECRET = "password,hunter2\n1,2\n";

let outside: string;
let ws: string;
let sha256: string;

beforeEach(() => {
  outside = realpathSync(mkdtempSync(join(tmpdir(), "gauntlet-boundary-")));
  ws = join(outside, "repo");
  mkdirSync(join(ws, "models/churn"), { recursive: true });
  mkdirSync(join(ws, "logs"), { recursive: true });
  writeFileSync(join(outside, "secret.csv"), SECRET);
  writeFileSync(join(outside, "secret.jsonl"), '{"password":"hunter2"}\n');
  const rows = Array.from({ length: 60 }, (_, i) => `c${i},${(i % 7) - 3},${(i % 5) - 2},${i % 2}`);
  writeFileSync(join(ws, "eval.csv"), `customer_id,x1,x2,churned\n${rows.join("\n")}\n`);
  const model = logisticModel({ weights: [0.9, -0.6], bias: -0.3, features: ["x1", "x2"] });
  writeFileSync(join(ws, "models/churn/model.onnx"), model);
  writeFileSync(join(outside, "model.onnx"), model);
  sha256 = createHash("sha256").update(model).digest("hex");
});
afterEach(() => rmSync(outside, { recursive: true, force: true }));

function manifest(changes: { data?: string; artefact?: string; baseline?: string; predictions?: string }) {
  const text = `name: churn
version: 1.3.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: ${changes.artefact ?? "models/churn/model.onnx"}
  sha256: "${sha256}"
  inputs: { numeric: [x1, x2] }
  outputs: { probabilities: probabilities }
  classes: [0, 1]
  positive: 1
data:
  columns:
    x1: { type: number }
evaluation:
  data: ${changes.data ?? "eval.csv"}
  label: churned
  metrics: [roc_auc]
  bootstrap: 0
${changes.baseline ? `  baseline: ${changes.baseline}\n` : ""}gate:
  rules: [{ metric: roc_auc, min: 0.5 }]
monitoring:
  predictions: ${changes.predictions ?? "logs/*.jsonl"}
  timestamp: ts
  score: score
`;
  return { file: FILE, manifest: parseManifest(text, FILE) } satisfies LoadedManifest;
}

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`);
  expect(error.message).not.toContain("hunter2");
  return error;
}

const evaluate = (loaded: LoadedManifest) =>
  evaluateModel(loaded, { cwd: ws, resolveBaseline: offlineBaselineResolver });

describe("evaluate-slices at the workspace boundary", () => {
  it("evaluates the workspace's own files (the control case)", async () => {
    const { result } = await evaluate(manifest({}));
    expect(result.rows).toBe(60);
  });

  it("refuses evaluation.data that climbs out with .., naming the manifest and field", async () => {
    const error = await refusal(evaluate(manifest({ data: "../secret.csv" })));
    expect(error).toMatchObject({ file: FILE, field: "evaluation.data" });
    expect(error.problem).toBe('"../secret.csv" is outside the workspace');
  });

  it("refuses an absolute evaluation.data outside the workspace", async () => {
    const error = await refusal(evaluate(manifest({ data: join(outside, "secret.csv") })));
    expect(error).toMatchObject({ file: FILE, field: "evaluation.data" });
  });

  it("refuses a committed link to /dev/urandom at once instead of reading forever", async () => {
    symlinkSync("/dev/urandom", join(ws, "random.csv"));
    const started = Date.now();
    const error = await refusal(evaluate(manifest({ data: "random.csv" })));
    expect(error.field).toBe("evaluation.data");
    expect(error.problem).toMatch(/leads outside the workspace/);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 10_000);

  it("refuses a FIFO as evaluation data instead of waiting on it", async () => {
    execFileSync("mkfifo", [join(ws, "pipe.csv")]);
    const error = await refusal(evaluate(manifest({ data: "pipe.csv" })));
    expect(error.problem).toBe('"pipe.csv" is a named pipe (FIFO), not a regular file');
  }, 10_000);

  it("refuses an artefact.path that is a link to a model outside", async () => {
    symlinkSync(join(outside, "model.onnx"), join(ws, "models/churn/linked.onnx"));
    const error = await refusal(evaluate(manifest({ artefact: "models/churn/linked.onnx" })));
    expect(error).toMatchObject({ file: FILE, field: "artefact.path" });
  });

  it("refuses an evaluation.baseline path outside the workspace", async () => {
    const error = await refusal(evaluate(manifest({ baseline: "../model.onnx" })));
    expect(error).toMatchObject({ file: FILE, field: "evaluation.baseline" });
    expect(error.problem).toBe('"../model.onnx" is outside the workspace');
  });
});

describe("other steps at the workspace boundary", () => {
  it("validate-data refuses a data input outside, naming the input", async () => {
    const error = await refusal(
      validateData(manifest({}), { cwd: ws, data: join(outside, "secret.csv"), now: new Date() }),
    );
    expect(error).toMatchObject({ file: FILE, field: "the `data` input" });
  });

  it("release-gate refuses to hash an artefact outside", async () => {
    const error = await refusal(
      gateModel(manifest({ artefact: "../model.onnx" }), { cwd: ws, resultsDir: ".gauntlet" }),
    );
    expect(error).toMatchObject({ file: FILE, field: "artefact.path" });
  });

  it("drift-check refuses a predictions glob outside rather than reporting no data", async () => {
    const reference = await loadReference("eval.csv", { cwd: ws, manifest: manifest({}).manifest });
    const error = await refusal(
      runDriftCheck(manifest({ predictions: "../*.jsonl" }), { cwd: ws, reference }),
    );
    expect(error).toMatchObject({ file: FILE, field: "monitoring.predictions" });
    expect(error.problem).toBe('the glob "../*.jsonl" reaches outside the workspace');
  });

  it("a reference outside the workspace is refused, as a profile or as data", async () => {
    writeFileSync(join(outside, "profile.json"), "{}");
    for (const location of ["../profile.json", "../secret.csv"]) {
      const error = await refusal(loadReference(location, { cwd: ws, manifest: manifest({}).manifest }));
      expect(error.problem).toBe(`"${location}" is outside the workspace`);
    }
  });
});
