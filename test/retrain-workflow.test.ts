import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseManifest } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exampleWorkflow } from "./support/example-workflow.js";
import { type GitHubServer, startGitHubServer } from "./support/github-server.js";
import { runScriptSteps } from "./support/run-script-steps.js";

const EXAMPLE = join(import.meta.dirname, "..", "examples", "churn");
const BRANCH = "retrain/churn-1.4.0";
/** What drift-check dispatches (see drift-monitoring.test.ts: the dispatch's inputs). */
const DISPATCH = {
  model: "churn",
  trigger: "labelled-rows,schedule",
  reason: "812 labelled rows logged since release churn/v1.3.0; 31.0 days since release churn/v1.3.0",
  version: "1.3.0",
  window: "6h",
  from: "2025-05-31T00:00:00.000Z",
  to: "2025-06-01T00:00:00.000Z",
};

let server: GitHubServer;
let dir: string;
const work = () => join(dir, "work");
const git = (args: string[], cwd = work()) =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

beforeEach(async () => {
  server = await startGitHubServer({ repo: { owner: "acme", name: "models" } });
  dir = mkdtempSync(join(tmpdir(), "gauntlet-retrain-"));
  // The model repository: the example's churn model and workflows, with the team's training job
  // (a stub that writes a new model file from the period it is given), pushed to a bare origin.
  git(["init", "--bare", "-q", "-b", "main", join(dir, "origin.git")], dir);
  for (const path of ["models/churn/model.yml", "models/churn/model.onnx", ".github"])
    cpSync(join(EXAMPLE, path), join(work(), path), { recursive: true });
  writeFileSync(
    join(work(), "models/churn/train.sh"),
    '#!/bin/sh\nset -e\nprintf "churn model trained on labelled rows logged %s to %s\\n" "$1" "$2" > models/churn/model.onnx\n',
  );
  chmodSync(join(work(), "models/churn/train.sh"), 0o755);
  git(["init", "-q", "-b", "main"]);
  git(["-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A"]);
  git(["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "models"]);
  git(["remote", "add", "origin", join(dir, "origin.git")]);
  git(["push", "-q", "origin", "main"]);
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs retrain.yml's steps on a fresh checkout of main, as the dispatched run would. */
async function runRetrain(inputs: Record<string, string> = DISPATCH, token = server.token) {
  git(["switch", "-q", "main"]);
  git(["reset", "-q", "--hard", "origin/main"]);
  const workflow = exampleWorkflow("retrain.yml");
  return await runScriptSteps(workflow.jobs["retrain"]!, {
    cwd: work(),
    env: {
      PATH: process.env["PATH"] ?? "",
      HOME: dir,
      GITHUB_API_URL: server.url,
      GITHUB_REPOSITORY: "acme/models",
    },
    context: { inputs, secrets: {}, github: { token, repository: "acme/models" } },
    // GitHub's side of `git push`: the branch the push step sent to origin appears in the API.
    before(step) {
      if (step.name !== "Open the pull request") return;
      const sha = git(["rev-parse", `refs/heads/${BRANCH}`], join(dir, "origin.git"));
      server.seed.commit({ sha, message: "churn: retrain to 1.4.0" });
      server.seed.ref(`heads/${BRANCH}`, sha);
    },
  });
}

describe("the example's retrain.yml, run as GitHub runs it after a drift-check dispatch", () => {
  it("retrains with the team's job, bumps the version, pins the new digest, pushes a branch and opens one pull request", async () => {
    const runs = await runRetrain();
    expect(runs.map((r) => [r.name, r.exitCode])).toEqual([
      ["Retrain on recent labelled data", 0],
      ["Bump the version and pin the new artefact's digest", 0],
      ["Push the branch", 0],
      ["Open the pull request", 0],
    ]);
    expect(runs[1]!.outputs).toEqual({ version: "1.4.0" });

    // The pushed branch holds the retrained model and a manifest that pins it, and still parses.
    const origin = join(dir, "origin.git");
    const model = git(["show", `${BRANCH}:models/churn/model.onnx`], origin);
    expect(model).toBe(
      "churn model trained on labelled rows logged 2025-05-31T00:00:00.000Z to 2025-06-01T00:00:00.000Z",
    );
    const text = git(["show", `${BRANCH}:models/churn/model.yml`], origin);
    const before = readFileSync(join(EXAMPLE, "models/churn/model.yml"), "utf8");
    const manifest = parseManifest(text, "models/churn/model.yml");
    expect(parseManifest(before, "models/churn/model.yml").version).toBe("1.3.0");
    expect(manifest.version).toBe("1.4.0");
    expect(manifest.artefact.sha256).toBe(createHash("sha256").update(`${model}\n`).digest("hex"));
    // Only the version and the digest changed: comments and every other line are kept.
    const changed = text.split("\n").filter((line, i) => line !== before.split("\n")[i]);
    expect(changed).toEqual([
      "version: 1.4.0                    # a merged increase is promoted (tag churn/v1.3.0)",
      `  sha256: "${manifest.artefact.sha256}"`,
    ]);
    expect(git(["log", "-1", "--format=%B", BRANCH], origin)).toContain(
      `labelled-rows,schedule: ${DISPATCH.reason}`,
    );

    // One pull request from the branch to the default branch, saying why and on which period.
    const pulls = [...server.state.pulls.values()];
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.head.ref).toBe(BRANCH);
    expect(pulls[0]!.base.ref).toBe("main");
    const issue = server.state.issues.get(pulls[0]!.number)!;
    expect(issue.title).toBe("churn 1.4.0: retrained");
    expect(issue.body).toContain("- **Triggers:** labelled-rows,schedule");
    expect(issue.body).toContain(`- **Why:** ${DISPATCH.reason}`);
    expect(issue.body).toContain("- **Logged period:** 2025-05-31T00:00:00.000Z to 2025-06-01T00:00:00.000Z");
    expect(runs[3]!.outputs["url"]).toMatch(/\/pull\/\d+$/);

    // Re-running the workflow pushes the branch again and finds its pull request open: still one.
    const rerun = await runRetrain();
    expect(rerun.map((r) => r.exitCode)).toEqual([0, 0, 0, 0]);
    expect(rerun[3]!.stdout).toContain("already open:");
    expect(server.state.pulls.size).toBe(1);
    expect(server.rejections()).toEqual([]);
  });

  it("stops with one clear error when the training job is missing or writes no model", async () => {
    git(["rm", "-q", "models/churn/train.sh"]);
    git(["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "no job"]);
    git(["push", "-q", "origin", "main"]);
    const missing = await runRetrain();
    expect(missing.map((r) => r.exitCode)).toEqual([1]);
    expect(missing[0]!.stdout.trim()).toBe(
      "::error file=models/churn/model.yml::add models/churn/train.sh (your training job, executable)",
    );

    writeFileSync(join(work(), "models/churn/train.sh"), "#!/bin/sh\nrm -f models/churn/model.onnx\n");
    chmodSync(join(work(), "models/churn/train.sh"), 0o755);
    git(["-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A"]);
    git(["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "broken job"]);
    git(["push", "-q", "origin", "main"]);
    const noModel = await runRetrain();
    expect(noModel.map((r) => r.exitCode)).toEqual([0, 1]);
    expect(noModel[1]!.stdout.trim()).toBe(
      "::error file=models/churn/model.yml::the training job wrote no artefact at models/churn/model.onnx (artefact.path): make train.sh write the model there",
    );
    expect(server.state.pulls.size).toBe(0);
  });

  it("names the token's missing permission when GitHub refuses the pull request", async () => {
    server.addToken("ghs_readonly", { contents: "read", "pull-requests": "read" });
    const runs = await runRetrain(DISPATCH, "ghs_readonly");
    expect(runs.map((r) => r.exitCode)).toEqual([0, 0, 0, 1]);
    expect(runs[3]!.stdout).toMatch(
      /^::error file=models\/churn\/model\.yml::could not open the pull request for retrain\/churn-1\.4\.0: GitHub answered 403 .*Fix: give the RETRAIN_TOKEN secret contents and pull requests: write/,
    );
    expect(server.state.pulls.size).toBe(0);
  });
});
