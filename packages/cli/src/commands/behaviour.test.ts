import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../main.js";

const EXAMPLE = join(import.meta.dirname, "..", "..", "..", "..", "examples", "churn");
let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "gauntlet-cli-behaviour-"));
  cpSync(EXAMPLE, cwd, { recursive: true });
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    cwd,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

describe("gauntlet behaviour", () => {
  it("runs the example's tests, prints the report and writes behaviour.json; the failing test sets the exit code", async () => {
    const out = join(cwd, ".gauntlet");
    const { code, stdout, stderr } = await run(
      "behaviour",
      "--manifest",
      "models/churn/model.yml",
      "--results-dir",
      out,
    );
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout).toContain("### Behaviour");
    expect(stdout).toContain(`→ ${join(out, "churn", "behaviour.json")}`);
    const result = JSON.parse(readFileSync(join(cwd, ".gauntlet/churn/behaviour.json"), "utf8"));
    expect(
      result.checks.filter((c: { status: string }) => c.status === "fail").map((c: { id: string }) => c.id),
    ).toEqual(["edge-cases"]);
    expect(result.notes).toEqual([
      "no production model was given (production cannot be fetched here; pass production-model): tests ran on the candidate only",
    ]);
    expect(readFileSync(join(cwd, ".gauntlet/churn/behaviour.md"), "utf8")).toContain("### Behaviour");
    const never = await run(
      "behaviour",
      "--manifest",
      "models/churn/model.yml",
      "--results-dir",
      out,
      "--fail-on",
      "never",
    );
    expect(never.code).toBe(0);
  });

  it("compares with a production model given by path and names a broken one", async () => {
    const { code, stdout } = await run(
      "behaviour",
      "--manifest",
      "models/churn/model.yml",
      "--production-model",
      "models/churn/model.onnx",
      "--results-dir",
      join(cwd, ".gauntlet"),
      "--fail-on",
      "never",
    );
    expect(code).toBe(0);
    expect(stdout).toContain("candidate and production");
    writeFileSync(join(cwd, "broken.onnx"), "not a model");
    const bad = await run(
      "behaviour",
      "--manifest",
      "models/churn/model.yml",
      "--production-model",
      "broken.onnx",
      "--results-dir",
      join(cwd, ".gauntlet"),
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^error: models\/churn\/model\.yml: production-model: the production model broken\.onnx: not an ONNX model/,
    );
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
