import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describePlan, parseSections, type RegistryPlan } from "@gauntlet/core";
import { sha256File } from "@gauntlet/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../main.js";
import { promoteCommand } from "./promote.js";

const ROOT = join(import.meta.dirname, "..", "..", "..", "..");
const EXAMPLE = join(ROOT, "examples", "churn");

/** Every file under `dir` with its size and modification time, to prove the demo left it alone. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const { size, mtimeMs } = statSync(path);
    out[relative(dir, path)] = `${size}@${mtimeMs}`;
  }
  return out;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("gauntlet demo", () => {
  let work: string;
  let out: string;
  let stdout = "";
  let stderr = "";
  let code: number;
  let before: Record<string, string>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "gauntlet-demo-test-"));
    out = join(work, "demo-out");
    before = snapshot(EXAMPLE);
    code = await main(["demo", "--example", relative(ROOT, EXAMPLE), "--out", out], {
      cwd: ROOT,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("runs every step and exits 0 whatever the verdicts", () => {
    expect(stderr).toBe("");
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(
      /^gauntlet demo: churn 1\.3\.0 from examples\/churn against production 1\.2\.0, offline\n/,
    );
    expect(stdout).toMatch(/\ndone in \d+\.\d s /);
  });

  it("writes every report, result and input under --out, and nothing into the example", () => {
    const files = [
      "index.md",
      "comment.md",
      "registry.json",
      "releases/churn-v1.2.0/model.onnx",
      "releases/churn-v1.2.0/profile.json",
      "logs/shadow/agreeing.jsonl",
      "logs/predictions/drifted.jsonl",
      "churn/profile.json",
      "churn/model-card.md",
      ...["validation", "evaluation", "shadow", "behaviour", "gate", "promote", "drift"].flatMap((kind) => [
        `churn/${kind}.json`,
        `churn/${kind}.md`,
      ]),
    ];
    for (const file of files) {
      expect(existsSync(join(out, file)), file).toBe(true);
      expect(statSync(join(out, file)).size, file).toBeGreaterThan(0);
    }
    expect(snapshot(EXAMPLE)).toEqual(before);
  });

  it("writes result files that parse, with their schema tags, for this model version", () => {
    const tags: Record<string, string> = {
      "churn/validation.json": "gauntlet/validation@1",
      "churn/evaluation.json": "gauntlet/evaluation@1",
      "churn/shadow.json": "gauntlet/shadow@1",
      "churn/behaviour.json": "gauntlet/behaviour@1",
      "churn/gate.json": "gauntlet/gate@1",
      "churn/promote.json": "gauntlet/promote-plan@1",
      "churn/drift.json": "gauntlet/drift@1",
      "registry.json": "gauntlet/registry@1",
      "releases/churn-v1.2.0/profile.json": "gauntlet/profile@1",
    };
    for (const [file, tag] of Object.entries(tags)) expect(readJson(join(out, file)).schema, file).toBe(tag);
    for (const kind of ["validation", "evaluation", "shadow", "behaviour", "gate", "promote"]) {
      expect(readJson(join(out, "churn", `${kind}.json`)).model, kind).toMatchObject({
        name: "churn",
        version: "1.3.0",
      });
    }
    expect(readJson(join(out, "releases/churn-v1.2.0/profile.json")).model).toEqual({
      name: "churn",
      version: "1.2.0",
    });
  });

  it("prints one line per step whose verdict and report are those of the files", () => {
    // The main model's steps come first; the multiclass model's follow under their own heading.
    const [mainPart] = stdout.split("\nand plan ");
    const lines = mainPart!
      .split("\n")
      .map((line) =>
        /^ {2}(validate|evaluate|shadow|behaviour|gate|promote|drift) {2,}(\S.*?) {2,}(\S+)$/.exec(line),
      )
      .filter((m) => m !== null);
    const printed = Object.fromEntries(lines.map((m) => [m[1]!, { verdict: m[2]!, report: m[3]! }]));
    expect(Object.keys(printed)).toEqual([
      "validate",
      "evaluate",
      "shadow",
      "behaviour",
      "gate",
      "promote",
      "drift",
    ]);
    const result = (kind: string) => readJson(join(out, "churn", `${kind}.json`));
    const expected = {
      validate: { kind: "validation", verdict: result("validation").status },
      evaluate: { kind: "evaluation", verdict: result("evaluation").status },
      shadow: { kind: "shadow", verdict: result("shadow").recommendation },
      behaviour: { kind: "behaviour", verdict: result("behaviour").status },
      gate: { kind: "gate", verdict: result("gate").status },
      promote: { kind: "promote", verdict: result("promote").status },
      drift: { kind: "drift", verdict: result("drift").level },
    };
    for (const [step, { kind, verdict }] of Object.entries(expected)) {
      expect(printed[step], step).toEqual({
        verdict,
        report: relative(ROOT, join(out, "churn", `${kind}.md`)),
      });
    }
    // The example is built to flag things: the candidate is worse on MA, the logs drifted.
    expect(result("evaluation").status).toBe("warn");
    expect(result("drift").level).toBe("alert");
    // ... and a candidate that gives NaN just below tenure_months' minimum, which the gate holds.
    expect(
      result("behaviour")
        .checks.filter((c: { status: string }) => c.status === "fail")
        .map((c: { id: string }) => c.id),
    ).toEqual(["edge-cases"]);
    expect(result("behaviour").production).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(result("gate").requirements).toContainEqual(
      expect.objectContaining({ action: "check-behaviour", status: "fail" }),
    );
  });

  it("evaluates and shadows against the production release, and drifts against its profile", async () => {
    const production = await sha256File(join(out, "releases/churn-v1.2.0/model.onnx"), {
      file: "examples/churn/models/churn/model.yml",
      field: "artefact.path",
    });
    const evaluation = readJson(join(out, "churn/evaluation.json"));
    expect(evaluation.baseline.source).toMatchObject({
      kind: "alias",
      reference: "production",
      version: "1.2.0",
    });
    expect(evaluation.baseline.model.sha256).toBe(production);
    expect(evaluation.bootstrap.replicates).toBe(1000);
    const shadow = readJson(join(out, "churn/shadow.json"));
    expect(shadow.agreement.n).toBeGreaterThan(0);
    const drift = readJson(join(out, "churn/drift.json"));
    expect(drift.reference).toMatchObject({ kind: "release", location: "churn/v1.2.0" });
    expect(drift.rows.used).toBeGreaterThan(0);
    expect(drift.rows.used).toBeLessThan(drift.rows.read);
  });

  it("blocks promote exactly when the gate failed, and plans the release against the registry", () => {
    const gate = readJson(join(out, "churn/gate.json"));
    const promote = readJson(join(out, "churn/promote.json"));
    expect(promote.gate).toBe(gate.status);
    expect(promote.status).toBe(gate.status === "fail" ? "blocked" : "ready");
    const registry = readJson(join(out, "registry.json"));
    const plan = promote.plan as RegistryPlan;
    expect(plan.operations.find((op) => op.kind === "move-alias")).toMatchObject({
      tag: "churn/production",
      from: registry.aliases["churn/production"],
      to: plan.commit,
    });
    expect(plan.operations.filter((op) => op.kind === "upload-asset").map((op) => op.asset.name)).toEqual([
      "model.onnx",
      "evaluation.json",
      "gate.json",
      "profile.json",
      "reference-sample.parquet",
    ]);
    expect(readFileSync(join(out, "churn/promote.md"), "utf8")).toContain(describePlan(plan));
  });

  it("assembles the sticky comment from the five pull request sections, as the actions would", () => {
    const comment = readFileSync(join(out, "comment.md"), "utf8");
    expect(comment.startsWith("<!-- gauntlet:model=churn -->\n## gauntlet · churn\n")).toBe(true);
    const sections = parseSections(comment);
    expect(sections.map((s) => s.name)).toEqual(["data", "evaluation", "shadow", "behaviour", "gate"]);
    const reports = ["validation", "evaluation", "shadow", "behaviour", "gate"];
    sections.forEach((section, i) => {
      const report = readFileSync(join(out, "churn", `${reports[i]}.md`), "utf8");
      expect(section.markdown, section.name).toBe(report.trimEnd());
    });
  });

  it("links every file from index.md", () => {
    const index = readFileSync(join(out, "index.md"), "utf8");
    const links = [...index.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThanOrEqual(15);
    for (const link of links) expect(existsSync(join(out, link)), link).toBe(true);
    for (const kind of ["validation", "evaluation", "shadow", "behaviour", "gate", "promote", "drift"]) {
      expect(links).toContain(`churn/${kind}.md`);
      expect(links).toContain(`churn/${kind}.json`);
    }
  });

  it("gauntlet promote --dry-run --registry plans offline from the same files", async () => {
    const io = () => {
      let text = "";
      return {
        cwd: EXAMPLE,
        stdout: (t: string) => (text += t),
        stderr: (t: string) => (text += t),
        text: () => text,
      };
    };
    const promote = readJson(join(out, "churn/promote.json"));
    const base = ["--dry-run", "--manifest", "models/churn/model.yml", "--results-dir", out];
    const args = [...base, "--registry", join(out, "registry.json"), "--sha", promote.plan.commit];
    const refused = io();
    if (promote.gate === "fail") {
      await expect(promoteCommand.run(args, refused)).rejects.toThrow(/the gate failed for churn 1\.3\.0/);
    }
    const planned = io();
    expect(await promoteCommand.run([...args, "--no-gate"], planned)).toBe(0);
    const registry = readJson(join(out, "registry.json"));
    const lines = planned.text().split("\n");
    expect(lines[0]).toBe(`churn 1.3.0 at ${promote.plan.commit.slice(0, 7)}:`);
    expect(lines).toContain(
      `  + move alias churn/production ${registry.aliases["churn/production"].slice(0, 7)} → ${promote.plan.commit.slice(0, 7)}`,
    );

    // A rollback over a described registry with two releases goes back to the older one.
    const [older, newer] = ["1".repeat(40), registry.tags[0].commit];
    registry.tags.unshift({ tag: "churn/v1.1.0", commit: older });
    registry.releases.unshift({ tag: "churn/v1.1.0", assets: [{ name: "model.onnx", size: 1 }] });
    const twoReleases = join(work, "two-releases.json");
    writeFileSync(twoReleases, JSON.stringify(registry));
    const rollback = io();
    expect(await promoteCommand.run([...base, "--registry", twoReleases, "--rollback"], rollback)).toBe(0);
    expect(rollback.text()).toContain(
      `+ move alias churn/production ${newer.slice(0, 7)} → ${older.slice(0, 7)}`,
    );

    const empty = join(work, "empty.json");
    writeFileSync(empty, JSON.stringify({ schema: "gauntlet/registry@1" }));
    const first = io();
    expect(
      await promoteCommand.run(
        [...base, "--registry", empty, "--sha", promote.plan.commit, "--no-gate"],
        first,
      ),
    ).toBe(0);
    expect(first.text()).toContain(`+ create alias churn/production at ${promote.plan.commit.slice(0, 7)}`);

    const broken = join(work, "broken.json");
    writeFileSync(broken, JSON.stringify({ schema: "gauntlet/registry@1", tags: [{ tag: "churn/v1.0.0" }] }));
    await expect(promoteCommand.run([...base, "--registry", broken, "--no-gate"], io())).rejects.toThrow(
      /broken\.json: tags\.0\.commit: not a gauntlet registry description/,
    );
  });

  it("takes the example's multiclass model through validate, evaluate, shadow, gate and promote against its own release", async () => {
    const plan = (kind: string) => readJson(join(out, "plan", `${kind}.json`));
    for (const kind of ["validation", "evaluation", "shadow", "gate", "promote"]) {
      expect(plan(kind).model, kind).toMatchObject({ name: "plan", version: "1.3.0" });
      expect(existsSync(join(out, "plan", `${kind}.md`)), kind).toBe(true);
    }
    expect(existsSync(join(out, "plan", "behaviour.json"))).toBe(false);
    const production = await sha256File(join(out, "releases/plan-v1.2.0/model.onnx"), {
      file: "examples/churn/models/plan/model.yml",
      field: "artefact.path",
    });
    const evaluation = plan("evaluation");
    expect(evaluation.task).toBe("multiclass");
    expect(evaluation.baseline.source).toMatchObject({
      kind: "alias",
      reference: "production",
      version: "1.2.0",
    });
    expect(evaluation.baseline.model.sha256).toBe(production);
    expect(evaluation.overall.metrics.accuracy.value).toBeGreaterThan(0.8);
    // Shadow: the candidate scored here against the classes production served, read from the log.
    const shadow = plan("shadow");
    const log = readFileSync(join(out, "logs/shadow/plan/sample.jsonl"), "utf8").trimEnd().split("\n");
    expect(shadow).toMatchObject({ task: "multiclass", challengerScores: "scored" });
    expect(shadow.agreement.n).toBe(log.length);
    const served = ["prepaid_basic", "prepaid_plus", "postpaid"].map(
      (c) => log.filter((line) => JSON.parse(line).served_plan === c).length,
    );
    expect(shadow.multiclass.confusion.map((row: number[]) => row.reduce((a, b) => a + b, 0))).toEqual(
      served,
    );
    const gate = plan("gate");
    expect(plan("promote")).toMatchObject({
      gate: gate.status,
      status: gate.status === "fail" ? "blocked" : "ready",
    });
    const registry = readJson(join(out, "registry.json"));
    expect(Object.keys(registry.aliases).sort()).toEqual(["churn/production", "plan/production"]);
    expect(registry.tags.map((t: { tag: string }) => t.tag)).toEqual(["churn/v1.2.0", "plan/v1.2.0"]);
    // Its sticky comment has the four sections of its pull request actions.
    const comment = readFileSync(join(out, "plan", "comment.md"), "utf8");
    expect(parseSections(comment).map((section) => section.name)).toEqual([
      "data",
      "evaluation",
      "shadow",
      "gate",
    ]);
    // The summary lists its steps with the files' verdicts.
    const [, planPart] = stdout.split("\nand plan ");
    expect(planPart).toMatch(/^1\.3\.0 \(multiclass\) against production 1\.2\.0:\n/);
    const verdicts = {
      validate: plan("validation").status,
      evaluate: evaluation.status,
      shadow: shadow.recommendation,
      gate: gate.status,
    };
    for (const [step, verdict] of Object.entries(verdicts)) {
      expect(planPart).toMatch(new RegExp(`\\n {2}${step} +${verdict} +\\S*plan/`));
    }
    const index = readFileSync(join(out, "index.md"), "utf8");
    expect(index).toContain("## plan v1.3.0: the example's multiclass model");
    expect(index).toContain("](plan/shadow.md)");
  });

  it("refuses to write into the example, with one error line and exit code 1", async () => {
    let err = "";
    const refused = await main(["demo", "--out", "examples/churn/out"], {
      cwd: ROOT,
      stdout: () => {},
      stderr: (t) => (err += t),
    });
    expect(refused).toBe(1);
    expect(err).toMatch(/^error: --out: the demo writes nothing into the example\. Fix: /);
    expect(existsSync(join(EXAMPLE, "out"))).toBe(false);
    // Nor into a folder that holds it, where <out>/churn/ would be the example's own folder.
    expect(await main(["demo", "--out", "examples"], { cwd: ROOT, stdout: () => {}, stderr: () => {} })).toBe(
      1,
    );
  });
});
