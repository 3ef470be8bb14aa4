import { afterEach, describe, expect, it } from "vitest";
import { type FakeGitHub, type FakeRequest, startFakeGitHub } from "../../test/fake-github.js";
import { createGitHubClient } from "../client.js";
import { upsertCheckRun } from "./upsert-check-run.js";

interface Run {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
}

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

// Check runs on one commit: listing filters by check_name; create and update answer the run.
function checks(runs: Run[]) {
  return (request: FakeRequest, base: string) => {
    const shape = (run: Run) => ({ ...run, html_url: `${base}/runs/${run.id}` });
    if (request.method === "GET") {
      const name = request.query.get("check_name");
      const found = runs.filter((r) => r.name === name);
      return { body: { total_count: found.length, check_runs: found.map(shape) } };
    }
    const body = request.body as { name?: string; status?: string; conclusion?: string };
    if (request.method === "POST") {
      const run = {
        id: 100 + runs.length,
        name: body.name ?? "",
        status: body.status ?? "queued",
        conclusion: body.conclusion ?? null,
      };
      runs.push(run);
      return { status: 201, body: shape(run) };
    }
    const run = runs.find((r) => request.path.endsWith(`/${r.id}`))!;
    Object.assign(run, { status: body.status ?? run.status, conclusion: body.conclusion ?? run.conclusion });
    return { body: shape(run) };
  };
}

const target = {
  owner: "acme",
  repo: "models",
  name: "gauntlet/churn",
  headSha: "a".repeat(40),
  output: { title: "Gate passed: 3 checks", summary: "- All 3 gate checks passed", text: "| | Rule |" },
};
const clientFor = (server: FakeGitHub) =>
  createGitHubClient("t0ken", { apiUrl: server.url, delayUnitMs: 1, writeSpacingMs: 0 });

describe("upsertCheckRun", () => {
  it("updates the newest run of the name instead of adding one, and leaves other checks alone", async () => {
    const runs: Run[] = [
      { id: 1, name: "gauntlet/churn", status: "in_progress", conclusion: null },
      { id: 2, name: "gauntlet/fraud", status: "completed", conclusion: "failure" },
    ];
    fake = await startFakeGitHub(checks(runs));
    const written = await upsertCheckRun(clientFor(fake), {
      ...target,
      state: { status: "completed", conclusion: "success" },
    });
    expect(written).toEqual({ id: 1, url: `${fake.url}/runs/1`, created: false });
    expect(runs).toEqual([
      { id: 1, name: "gauntlet/churn", status: "completed", conclusion: "success" },
      { id: 2, name: "gauntlet/fraud", status: "completed", conclusion: "failure" },
    ]);
    expect(fake.requests.map((r) => r.method)).toEqual(["GET", "PATCH"]);
  });

  it("creates a new run rather than reopening a completed one when the gate goes back to pending", async () => {
    const runs: Run[] = [{ id: 1, name: "gauntlet/churn", status: "completed", conclusion: "success" }];
    fake = await startFakeGitHub(checks(runs));
    const written = await upsertCheckRun(clientFor(fake), { ...target, state: { status: "in_progress" } });
    expect(written.created).toBe(true);
    expect(runs[0]!.conclusion).toBe("success");
    expect(runs[1]).toMatchObject({ name: "gauntlet/churn", status: "in_progress", conclusion: null });
    const post = fake.requests.find((r) => r.method === "POST")!;
    expect(post.body).toMatchObject({ head_sha: target.headSha, output: target.output });
    expect(post.body).not.toHaveProperty("conclusion");
  });
});
