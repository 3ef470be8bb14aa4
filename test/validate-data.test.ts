import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { churnColumns, churnRows, tableRecord, writeCsv, writeJsonl } from "@gauntlet/fixtures";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runAction } from "./support/run-action.js";
import { patchFromState, webhookPayload } from "./support/webhooks.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const ACTION = join(import.meta.dirname, "..", "actions", "validate-data");
const CLI = join(import.meta.dirname, "..", "packages", "cli", "dist", "bin.js");
const PR = 7;

const manifest = (dataContract: string) => `name: churn
version: 1.3.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: models/churn/model.onnx
  sha256: "${"ab".repeat(32)}"
  inputs: auto
  outputs: { probabilities: probabilities }
  classes: [0, 1]
  positive: 1
${dataContract}
evaluation:
  data: data/eval.csv
  label: churned
  metrics: [roc_auc]
`;

const CONTRACT = `data:
  key: customer_id
  rows: { min: 1000 }
  max-null-fraction: 0.05
  columns:
    tenure_months:   { type: number, min: 0, max: 600, nullable: false }
    monthly_charges: { type: number, min: 0 }
    region:          { type: category, values: [AE, SA, EG, JO, MA, KW, QA], unseen: error }
    plan:            { type: category, values: [prepaid_basic, prepaid_plus, postpaid], unseen: error }
    signup_date:     { type: timestamp, max-age: 3650d }`;

let server: GitHubServer;
let ws: Workspace;
const now = new Date().toISOString();

function writeData(path: string, options: { drifted?: boolean; rows?: number } = {}) {
  mkdirSync(dirname(ws.path(path)), { recursive: true });
  writeCsv(
    ws.path(path),
    churnColumns(false),
    churnRows({ seed: 11, rows: options.rows ?? 2_000, now, drifted: options.drifted ?? false }),
  );
}

async function run(inputs: Record<string, string>, extra: { token?: string; fork?: boolean } = {}) {
  return runAction(ACTION, {
    inputs: { manifest: "models/churn/model.yml", ...inputs },
    cwd: ws.dir,
    eventName: "pull_request",
    payload: webhookPayload("pull_request", "synchronize", patchFromState(server.state, PR)),
    token: extra.token ?? server.token,
    apiUrl: server.url,
  });
}

const commentsOn = (number: number) => server.state.comments.filter((c) => c.issueNumber === number);

beforeAll(() => {
  // The bundle is what the runner executes: `npm test` builds it first.
  readFileSync(join(ACTION, "dist", "index.js"));
});

beforeEach(async () => {
  server = await startGitHubServer();
  server.seed.pullRequest({ number: PR });
  ws = createWorkspace();
  ws.write("models/churn/model.yml", manifest(CONTRACT));
  writeData("data/eval.csv");
});

afterEach(async () => {
  await server.close();
  ws.remove();
});

describe("validate-data, run as the runner runs it", () => {
  it("passes clean data, writes validation.json, the summary and one sticky comment", async () => {
    const result = await run({});
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.outputs["passed"]).toBe("true");
    expect(result.outputs["status"]).toBe("pass");
    const written = JSON.parse(readFileSync(join(ws.dir, result.outputs["result"]!), "utf8"));
    expect(written).toMatchObject({ schema: "gauntlet/validation@1", status: "pass", data: { rows: 2000 } });
    expect(written.model).toEqual({ name: "churn", version: "1.3.0" });
    expect(result.summary).toContain("Data");
    const comments = commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("<!-- gauntlet:model=churn -->");
    expect(result.outputs["comment-id"]).toBe(String(comments[0]!.id));
    expect(server.rejections()).toEqual([]);
  });

  it("fails a broken contract with annotations, and a re-run updates the same comment", async () => {
    await run({});
    writeData("data/eval.csv", { drifted: true });
    const result = await run({});
    expect(result.exitCode).toBe(1);
    expect(result.outputs["passed"]).toBe("false");
    expect(result.outputs["status"]).toBe("fail");
    const errors = result.annotations.filter((a) => a.level === "error");
    expect(errors.length).toBeGreaterThan(0);
    expect(errors).toContainEqual(
      expect.objectContaining({
        title: "gauntlet: allowed-values (plan)",
        file: "models/churn/model.yml",
        message: expect.stringContaining('"postpaid_unlimited"'),
      }),
    );
    const comments = commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("postpaid\\_unlimited");
    expect(server.rejections()).toEqual([]);
  });

  it("does not comment for a fork pull request run with comment: false", async () => {
    const result = await run({ comment: "false" });
    expect(result.exitCode).toBe(0);
    expect(commentsOn(PR)).toHaveLength(0);
    expect(server.calls()).toHaveLength(0);
    expect(result.outputs["comment-id"]).toBeUndefined();
  });

  it("respects fail-on: never, error and warning", async () => {
    writeData("data/eval.csv", { drifted: true });
    expect((await run({ "fail-on": "never", comment: "false" })).exitCode).toBe(0);
    // An unseen region under `unseen: warn` is a warning: it fails the step only with fail-on: warning.
    ws.write("models/churn/model.yml", manifest(CONTRACT.replace("QA], unseen: error", "QA], unseen: warn")));
    writeData("data/eval.csv");
    const lines = readFileSync(ws.path("data/eval.csv"), "utf8").replaceAll(",QA,", ",BH,");
    ws.write("data/eval.csv", lines);
    const onError = await run({ "fail-on": "error", comment: "false" });
    expect(onError.outputs["status"]).toBe("warn");
    expect(onError.exitCode).toBe(0);
    expect(onError.annotations.some((a) => a.level === "warning" && a.message.includes("BH"))).toBe(true);
    const onWarning = await run({ "fail-on": "warning", comment: "false" });
    expect(onWarning.exitCode).toBe(1);
    expect(onWarning.outputs["passed"]).toBe("false");
  });

  it("renders hostile category values harmlessly in the comment", async () => {
    const lines = readFileSync(ws.path("data/eval.csv"), "utf8").trimEnd().split("\n");
    const header = lines[0]!.split(",");
    const regionAt = header.indexOf("region");
    const hostile = lines.slice(1, 4).map((line, i) => {
      const cells = line.split(",");
      cells[regionAt] = ['"@everyone <script>alert(1)</script>"', '"a|b`c`"', '"#1 http://x.example"'][i]!;
      return cells.join(",");
    });
    ws.write("data/eval.csv", `${[lines[0], ...hostile, ...lines.slice(4)].join("\n")}\n`);
    const result = await run({});
    expect(result.exitCode).toBe(1);
    const body = commentsOn(PR)[0]!.body;
    expect(body).not.toMatch(/(^|[^\u2060])@everyone/);
    expect(body).not.toContain("<script>");
    expect(body).not.toContain("http://x.example");
    expect(server.rejections()).toEqual([]);
  });

  it("names the permission when the token cannot comment", async () => {
    server.addToken("read-only", { contents: "read", "pull-requests": "read" });
    const result = await run({}, { token: "read-only" });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("pull-requests: write");
    expect(result.stdout).not.toMatch(/\n\s+at .*\(.*\.js:\d+:\d+\)/);
    // The result was still written before publishing failed: nothing is lost.
    expect(readFileSync(ws.path(".gauntlet/churn/validation.json"), "utf8")).toContain(
      "gauntlet/validation@1",
    );
  });

  it("reports a bad manifest as one error naming the file and field, without a stack trace", async () => {
    ws.write(
      "models/churn/model.yml",
      manifest(CONTRACT).replace("min-slice", "x").replace("task: binary", "task: binry"),
    );
    const result = await run({});
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("models/churn/model.yml");
    expect(errors[0]!.message).toContain("task");
    expect(result.stdout).not.toContain("gauntlet bug");
    expect(server.calls()).toHaveLength(0);
  });

  it("reports missing data as one clear error", async () => {
    const result = await run({ data: "data/nope.csv" });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("data/nope.csv");
  });

  it.each([
    [
      "a tab in the manifest's indentation",
      () =>
        ws.write(
          "models/churn/model.yml",
          manifest(CONTRACT).replace("  data: data/eval.csv", "\tdata: data/eval.csv"),
        ),
      /^models\/churn\/model\.yml:\d+: invalid YAML: this line is indented with a tab; YAML indents with spaces only\. Fix: /,
    ],
    [
      "version: 1.3",
      () => ws.write("models/churn/model.yml", manifest(CONTRACT).replace("version: 1.3.0", "version: 1.3")),
      /version: a version must be semver x\.y\.z text, found number 1\.3\. Fix: write three numbers in quotes, e\.g\. version: "1\.3\.0"/,
    ],
    [
      "a gzip file named .csv",
      () => ws.write("data/eval.csv", gzipSync(readFileSync(ws.path("data/eval.csv")))),
      /^data\/eval\.csv: is gzip-compressed, not text: .* Fix: name it data\/eval\.csv\.gz \(gzip files are read by that name\), or decompress it in an earlier step/,
    ],
    [
      "a UTF-16 file named .csv",
      () =>
        ws.write(
          "data/eval.csv",
          Buffer.concat([
            Buffer.from([0xff, 0xfe]),
            Buffer.from(readFileSync(ws.path("data/eval.csv"), "utf8"), "utf16le"),
          ]),
        ),
      /^data\/eval\.csv: is UTF-16 text .* Fix: convert it: `iconv -f UTF-16 -t UTF-8 data\/eval\.csv > utf8\.csv`/,
    ],
    [
      "a semicolon-separated file",
      () => ws.write("data/eval.csv", readFileSync(ws.path("data/eval.csv"), "utf8").replaceAll(",", ";")),
      /^data\/eval\.csv:1: the header is one column, .*: the file looks separated by semicolons, not commas\. Fix: write it comma-separated/,
    ],
    [
      "a header-only file",
      () => ws.write("data/eval.csv", `${readFileSync(ws.path("data/eval.csv"), "utf8").split("\n")[0]}\n`),
      /^models\/churn\/model\.yml: evaluation\.data: the data data\/eval\.csv has a header and no rows\. Fix: /,
    ],
  ])("reports %s as one ::error naming the file and the fix", async (_, breakIt, message) => {
    breakIt();
    const result = await run({});
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(message);
    expect(result.stdout).not.toContain("gauntlet bug");
    expect(result.outputs["passed"]).toBe("false");
  });

  it("checks the contract on a prediction log that nests the features, with the features input", async () => {
    const columns = churnColumns(false);
    const rows = [...churnRows({ seed: 11, rows: 2_000, now, drifted: false })].map((row) => {
      const { customer_id, ...inputs } = tableRecord(row, columns);
      return { customer_id, inputs, score: 0.5 };
    });
    mkdirSync(ws.path("logs"), { recursive: true });
    writeJsonl(ws.path("logs/predictions.jsonl"), rows);
    const nested = await run({ data: "logs/predictions.jsonl", comment: "false" });
    expect(nested.exitCode).toBe(1);
    const errors = nested.annotations.filter((a) => a.level === "error");
    expect(errors.map((e) => e.message)).toEqual([
      'models/churn/model.yml: data.columns: none of the 5 contract columns is a column of logs/predictions.jsonl: its rows nest them under "inputs" (e.g. inputs.tenure_months). Fix: set the `features` input to inputs to check its fields as the contract\'s columns',
    ]);
    const result = await run({ data: "logs/predictions.jsonl", features: "inputs", comment: "false" });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const written = JSON.parse(readFileSync(join(ws.dir, result.outputs["result"]!), "utf8"));
    expect(written).toMatchObject({ status: "pass", data: { rows: 2000 } });
    const present = written.checks.filter((c: { id: string }) => c.id === "column-present");
    expect(present.map((c: { column: string; status: string }) => [c.column, c.status])).toEqual([
      ["tenure_months", "pass"],
      ["monthly_charges", "pass"],
      ["region", "pass"],
      ["plan", "pass"],
      ["signup_date", "pass"],
    ]);
  });

  it("retries a 502 from the comments API and still writes one comment", async () => {
    server.injectFault({ operationId: "issues/list-comments", status: 502, times: 1 });
    const result = await run({});
    expect(result.exitCode).toBe(0);
    expect(commentsOn(PR)).toHaveLength(1);
  });

  it("gives the same verdicts as `gauntlet validate` on the same files", async () => {
    writeData("data/eval.csv", { drifted: true });
    const action = await run({ comment: "false", "results-dir": ".gauntlet-action" });
    let cliExit = 0;
    try {
      execFileSync(
        process.execPath,
        [CLI, "validate", "--manifest", "models/churn/model.yml", "--results-dir", ".gauntlet-cli"],
        {
          cwd: ws.dir,
          stdio: "pipe",
        },
      );
    } catch (error) {
      cliExit = (error as { status: number }).status;
    }
    expect(cliExit).toBe(action.exitCode);
    const read = (dir: string) => JSON.parse(readFileSync(ws.path(`${dir}/churn/validation.json`), "utf8"));
    const verdicts = (r: { checks: { id: string; column?: string; status: string; value: unknown }[] }) =>
      r.checks.map((c) => [c.id, c.column, c.status, c.id === "max-age" ? null : c.value]);
    expect(verdicts(read(".gauntlet-cli"))).toEqual(verdicts(read(".gauntlet-action")));
  });
});
