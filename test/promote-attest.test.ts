import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exampleWorkflow, type WorkflowStep } from "./support/example-workflow.js";
import {
  modelBytes,
  pushPayload,
  seedMerge,
  usePromoteBed,
  writeModelVersion,
} from "./support/promote-fixture.js";
import { runAction } from "./support/run-action.js";
import { webhookPayload } from "./support/webhooks.js";

const bed = usePromoteBed();

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("promote's attestation outputs", () => {
  it("name the released files with the digests of the assets the release holds", async () => {
    await writeModelVersion(bed.workspace, { name: "churn", version: "1.0.0", artefact: modelBytes("v1") });
    const merge = seedMerge(bed.server, { churn: "success" }, "0.9.0", "1.0.0");
    const result = await runAction("actions/promote", {
      token: bed.server.token,
      apiUrl: bed.server.url,
      cwd: bed.workspace,
      eventName: "push",
      payload: pushPayload(merge),
    });
    expect(result.exitCode, result.stdout).toBe(0);
    const release = bed.server.state.releases.find((r) => r.tagName === "churn/v1.0.0")!;
    const asset = (name: string) => release.assets.find((a) => a.name === name)!.data;
    const o = result.outputs;

    expect(o["artefact-path"]).toBe("models/churn/model.onnx");
    expect(o["artefact-sha256"]).toBe(sha256(asset("model.onnx")));
    expect(o["evaluation-path"]).toBe(".gauntlet/churn/evaluation.json");
    expect(o["evaluation-sha256"]).toBe(sha256(asset("evaluation.json")));
    expect(o["gate-path"]).toBe(".gauntlet/churn/gate.json");
    expect(o["gate-sha256"]).toBe(sha256(asset("gate.json")));
    // The paths hold the very bytes that were uploaded.
    const at = (path: string) => readFile(isAbsolute(path) ? path : join(bed.workspace, path));
    expect(sha256(await at(o["artefact-path"]!))).toBe(o["artefact-sha256"]);

    // Every asset of the release, no more, no less: in subject-paths and in the checksums file.
    const names = release.assets.map((a) => a.name).sort();
    expect(names.length).toBeGreaterThanOrEqual(4);
    const paths = o["subject-paths"]!.split("\n");
    expect(paths).toHaveLength(names.length);
    const fromPaths = await Promise.all(paths.map(async (p) => sha256(await at(p))));
    expect(fromPaths.sort()).toEqual(release.assets.map((a) => sha256(a.data)).sort());
    const checksums = (await at(o["subject-checksums"]!)).toString("utf8").trim().split("\n");
    expect(checksums.sort()).toEqual(
      release.assets.map((a) => `${sha256(a.data)}  churn/v1.0.0/${a.name}`).sort(),
    );

    // The card tells consumers how to verify, and claims no signature of gauntlet's own.
    expect(release.body).toContain(
      `gh attestation verify model.onnx --repo ${bed.server.state.repo.owner}/${bed.server.state.repo.name}`,
    );
    expect(release.body).toContain("gauntlet signs nothing itself.");
  });

  it("are what the example release workflow passes to actions/attest-build-provenance", async () => {
    const job = exampleWorkflow("release.yml").jobs["promote"]!;
    expect(job.permissions).toMatchObject({ "id-token": "write", attestations: "write" });
    const steps = job.steps as (WorkflowStep & { id?: string; if?: string })[];
    const promote = steps.find((s) => s.uses === "OWNER/gauntlet/actions/promote@v1")!;
    const attest = steps.find((s) => s.uses?.startsWith("actions/attest-build-provenance@"))!;
    expect(steps.indexOf(attest)).toBeGreaterThan(steps.indexOf(promote));
    const output = /^\$\{\{ steps\.([a-z-]+)\.outputs\.([a-z-]+) \}\}$/.exec(
      String(attest.with?.["subject-path"]),
    );
    expect(output?.[1]).toBe(promote.id);
    // The output it reads is one promote declares (and the first test checks its digests).
    const declared = parse(
      await readFile(join(import.meta.dirname, "..", "actions/promote/action.yml"), "utf8"),
    );
    expect(Object.keys(declared.outputs)).toContain(output?.[2]);
    expect(output?.[2]).toBe("subject-paths");
  });

  it("are empty on a rollback, which uploads nothing", async () => {
    await writeModelVersion(bed.workspace, { name: "churn", version: "1.0.0", artefact: modelBytes("v1") });
    const first = seedMerge(bed.server, { churn: "success" }, "0.9.0", "1.0.0");
    const run = (options: Parameters<typeof runAction>[1]) =>
      runAction("actions/promote", {
        token: bed.server.token,
        apiUrl: bed.server.url,
        cwd: bed.workspace,
        ...options,
      });
    expect((await run({ eventName: "push", payload: pushPayload(first) })).exitCode).toBe(0);
    await writeModelVersion(bed.workspace, { name: "churn", version: "1.1.0", artefact: modelBytes("v2") });
    const second = seedMerge(bed.server, { churn: "success" });
    expect((await run({ eventName: "push", payload: pushPayload(second) })).exitCode).toBe(0);
    const rollback = await run({
      eventName: "workflow_dispatch",
      payload: webhookPayload("workflow_dispatch", undefined, { inputs: { rollback: "true" } }),
      sha: second.after,
      inputs: { manifest: "models/churn/model.yml", rollback: true },
    });
    expect(rollback.exitCode, rollback.stdout).toBe(0);
    expect(rollback.outputs["promoted"]).toBe("churn@1.0.0");
    expect(rollback.outputs["subject-paths"]).toBeUndefined();
    expect(rollback.outputs["artefact-sha256"]).toBeUndefined();
  });
});
