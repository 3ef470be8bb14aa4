import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubServer, startGitHubServer } from "./github-server.js";
import { runAction } from "./run-action.js";
import { patchFromState, webhookPayload } from "./webhooks.js";
import { parseFileCommand, parseWorkflowCommands } from "./workflow-commands.js";

let server: GitHubServer;

beforeEach(async () => {
  server = await startGitHubServer();
});

afterEach(async () => {
  await server.close();
});

describe("webhook payloads", () => {
  it("patches a real pull_request payload to the seeded pull request", () => {
    const pull = server.seed.pullRequest({ number: 12, fork: true, user: "mallory" });
    const payload = webhookPayload("pull_request", "synchronize", patchFromState(server.state, 12));
    expect(payload.number).toBe(12);
    expect(payload.repository.full_name).toBe("acme/models");
    expect(payload.pull_request.head).toMatchObject({
      sha: pull.head.sha,
      repo: { fork: true, full_name: "mallory/models" },
    });
    expect(payload.pull_request.base.sha).toBe(pull.base.sha);
    expect(webhookPayload("schedule", undefined, { cron: "0 3 * * *" })).toEqual({ schedule: "0 3 * * *" });
  });
});

describe("runAction", () => {
  it("runs a node24 action exactly as the runner does", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gauntlet-action-"));
    try {
      await writeFile(
        join(dir, "action.yml"),
        [
          "name: tiny",
          "inputs:",
          "  model-name: { required: true }",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, not a JS template
          "  github-token: { default: '${{ github.token }}' }",
          "  results dir: { default: .gauntlet }",
          "runs: { using: node24, main: main.mjs }",
        ].join("\n"),
      );
      await writeFile(
        join(dir, "main.mjs"),
        [
          'import { appendFileSync, readFileSync } from "node:fs";',
          "const e = process.env;",
          "const event = JSON.parse(readFileSync(e.GITHUB_EVENT_PATH, 'utf8'));",
          "const out = (text) => appendFileSync(e.GITHUB_OUTPUT, text + '\\n');",
          "out('name=' + e['INPUT_MODEL-NAME']);",
          "out('report<<EOF_1\\nline 1\\nline 2\\nEOF_1');",
          "out('token=' + e['INPUT_GITHUB-TOKEN']);",
          "out('dir=' + e['INPUT_RESULTS_DIR']);",
          "out('node=' + process.versions.node);",
          "out('pr=' + event.number);",
          "out('head=' + e.GITHUB_HEAD_REF);",
          "appendFileSync(e.GITHUB_STEP_SUMMARY, '# Summary\\n');",
          "console.log('::error file=a.yml,line=3::bad');",
          "process.exit(1);",
        ].join("\n"),
      );
      server.seed.pullRequest({ number: 5, headRef: "feature-x" });
      const result = await runAction(dir, {
        inputs: { "model-name": "churn" },
        eventName: "pull_request",
        payload: webhookPayload("pull_request", "opened", patchFromState(server.state, 5)),
        token: "tok-123",
        apiUrl: server.url,
      });
      expect(result.exitCode).toBe(1);
      expect(result.outputs).toEqual({
        name: "churn",
        report: "line 1\nline 2",
        token: "tok-123",
        dir: ".gauntlet",
        node: expect.stringMatching(/^2[4-9]\.|^[3-9]\d\./),
        pr: "5",
        head: "feature-x",
      });
      expect(result.annotations).toEqual([{ level: "error", message: "bad", file: "a.yml", line: 3 }]);
      expect(result.summary).toBe("# Summary\n");
      await expect(runAction(dir, { inputs: { model: "x" } })).rejects.toThrow(/Unexpected input/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("decodes escaped workflow command data and honours stop-commands", () => {
    const stdout =
      "::warning title=a%2Cb,col=4::x%0Ay%25\n::stop-commands::T1\n::error::hidden\n::T1::\n::notice::shown\n";
    expect(parseWorkflowCommands(stdout).annotations).toEqual([
      { level: "warning", message: "x\ny%", title: "a,b", col: 4 },
      { level: "notice", message: "shown" },
    ]);
  });

  it("parses output files like the runner, including a missing heredoc delimiter", () => {
    expect(parseFileCommand("a=1=2\nb<<X\n\nX\n")).toEqual({ a: "1=2", b: "" });
    expect(() => parseFileCommand("b<<X\nnever closed\n")).toThrow(/delimiter/);
  });
});
