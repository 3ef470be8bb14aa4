import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { churnColumns, churnRows, logisticModel, writeParquet } from "@gauntlet/fixtures";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { churnManifest } from "./support/evaluate-fixtures.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { type ActionResult, runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

// The workspace boundary and the resource limits, through the bundled actions as the runner runs
// them: a path leading out of the checkout, a committed link to /dev/urandom, a Parquet file with
// corrupted pages, an alias bomb and a zero window each end with one ::error naming the file and
// field, exit code 1, and no stack trace, within a process timeout (each used to leak an outside
// file's header into the comment, hang, or end in a "gauntlet bug").

const EVALUATE = join(import.meta.dirname, "..", "actions", "evaluate-slices");
const DRIFT = join(import.meta.dirname, "..", "actions", "drift-check");
const PR = 7;
const STACK = /\n\s+at .*\(.*\.js:\d+:\d+\)/;
const MANIFEST = "models/churn/model.yml";
const SECRET = "password,api_key\nhunter2,sk-live-123\n";

let server: GitHubServer;
let ws: Workspace;
let outside: string;

function writeManifest(data: string, features = ["x1", "x2"]): void {
  const model = logisticModel({ weights: features.map(() => 0.5), bias: -0.3, features });
  ws.write("models/churn/model.onnx", model);
  const sha256 = createHash("sha256").update(model).digest("hex");
  ws.write(MANIFEST, churnManifest({ sha256, data, inputs: `numeric: [${features.join(", ")}]` }));
}

async function evaluate(): Promise<ActionResult> {
  return runAction(EVALUATE, {
    inputs: { manifest: MANIFEST },
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: server.token,
    apiUrl: server.url,
    timeoutMs: 60_000,
  });
}

/** One ::error naming the manifest, exit 1, no stack, no bug, nothing of the outside file shown. */
function expectOneError(result: ActionResult, message: RegExp): void {
  expect(result.timedOut).toBe(false);
  expect(result.exitCode).toBe(1);
  const errors = result.annotations.filter((a) => a.level === "error");
  expect(errors).toHaveLength(1);
  expect(errors[0]!.message).toMatch(message);
  expect(result.stdout).not.toContain("gauntlet bug");
  expect(result.stdout).not.toMatch(STACK);
  expect(result.stdout + result.stderr).not.toContain("hunter2");
  for (const comment of server.state.comments) expect(comment.body).not.toContain("hunter2");
}

beforeAll(() => {
  readFileSync(join(EVALUATE, "dist", "index.js"));
  readFileSync(join(DRIFT, "dist", "index.js"));
});

beforeEach(async () => {
  server = await startGitHubServer();
  server.seed.pullRequest({ number: PR });
  ws = createWorkspace();
  outside = mkdtempSync(join(tmpdir(), "gauntlet-outside-"));
  writeFileSync(join(outside, "secret.csv"), SECRET);
});

afterEach(async () => {
  await server.close();
  ws.remove();
  rmSync(outside, { recursive: true, force: true });
});

describe("evaluate-slices at the workspace boundary", () => {
  it("refuses evaluation.data outside the workspace: the outside file's header never reaches the PR", async () => {
    writeManifest(join(outside, "secret.csv"));
    expectOneError(
      await evaluate(),
      /^models\/churn\/model\.yml: evaluation\.data: ".*secret\.csv" is outside the workspace\. Fix: /,
    );
  });

  it("refuses a committed link to /dev/urandom instead of reading it forever", async () => {
    symlinkSync("/dev/urandom", ws.path("data.csv"));
    writeManifest("data.csv");
    expectOneError(
      await evaluate(),
      /evaluation\.data: "data\.csv" is a symbolic link .* leads outside the workspace/,
    );
  });

  it("refuses a FIFO as evaluation data instead of waiting on it", async () => {
    execFileSync("mkfifo", [ws.path("pipe.csv")]);
    writeManifest("pipe.csv");
    expectOneError(
      await evaluate(),
      /evaluation\.data: "pipe\.csv" is a named pipe \(FIFO\), not a regular file/,
    );
  });
});

describe("bounded resources through the bundled actions", () => {
  it("ends a read of a Parquet file with corrupted pages with an error, not an endless loop", async () => {
    const columns = churnColumns(false);
    writeParquet(
      ws.path("eval.parquet"),
      columns,
      churnRows({ seed: 3, rows: 3_000, now: "2025-06-01" }),
      2_000,
    );
    const bytes = readFileSync(ws.path("eval.parquet"));
    const dataEnd = bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8);
    // Zeroes from inside the first page header on: the header is cut short.
    bytes.fill(0, 20, dataEnd - 40);
    writeFileSync(ws.path("eval.parquet"), bytes);
    writeManifest("eval.parquet", ["tenure_months", "monthly_charges"]);
    expectOneError(
      await evaluate(),
      /^eval\.parquet: could not be decoded \(column "\w+": the page header at byte \d+/,
    );
  });

  it("refuses an alias bomb in the manifest with one error", async () => {
    writeManifest("data.csv");
    const levels = ['lol: &l0 "lol"'];
    for (let k = 1; k <= 9; k++)
      levels.push(
        `x${k}: &l${k} [${Array(10)
          .fill(`*l${k - 1}`)
          .join(", ")}]`,
      );
    ws.write(MANIFEST, `${readFileSync(ws.path(MANIFEST), "utf8")}${levels.join("\n")}\n`);
    expectOneError(
      await evaluate(),
      /^models\/churn\/model\.yml: its aliases \(\*name\) expand to \d+ values; the limit is 1000000/,
    );
  });

  it("refuses drift-check's window input of 0d as a user error", async () => {
    writeManifest("data.csv");
    const result = await runAction(DRIFT, {
      inputs: { manifest: MANIFEST, window: "0d" },
      cwd: ws.dir,
      eventName: "schedule",
      payload: webhookPayload("schedule"),
      token: server.token,
      apiUrl: server.url,
      repository: "acme/models",
      timeoutMs: 60_000,
    });
    expectOneError(result, /input 'window': expected a duration longer than zero, e\.g\. 1d or 6h, got '0d'/);
  });
});
