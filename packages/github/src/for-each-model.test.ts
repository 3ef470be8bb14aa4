import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CheckStatus, UserError } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { checkVerdict, finishModelRun, forEachModel, gateVerdict } from "./for-each-model.js";

const dir = mkdtempSync(join(tmpdir(), "gauntlet-for-each-model-"));
let output: string[] = [];
let outputFile = "";
beforeEach(() => {
  output = [];
  process.exitCode = undefined;
  outputFile = join(dir, `output-${Math.random()}`);
  writeFileSync(outputFile, "");
  vi.stubEnv("GITHUB_OUTPUT", outputFile);
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

const mistake = (file: string) =>
  new UserError("expected a number", { file, field: "rows.min", fix: "write 1000" });

/** The step outputs written to GITHUB_OUTPUT, in order. */
function writtenOutputs(): [string, string][] {
  const text = readFileSync(outputFile, "utf8");
  return [...text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1]!, m[3]!]);
}

const errorLines = () =>
  output
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("::error"));

describe("forEachModel", () => {
  it("runs every model in order, collecting results, outputs and the user mistakes of the others", async () => {
    const seen: string[] = [];
    const run = await forEachModel(["a.yml", "b.yml", "c.yml"], async (path, outputs) => {
      seen.push(path);
      outputs["result"] = `${path}.json`;
      if (path === "b.yml") throw mistake(path);
      outputs["status"] = path === "a.yml" ? "warn" : "pass";
      return path === "a.yml" ? "warn" : "pass";
    });
    expect(seen).toEqual(["a.yml", "b.yml", "c.yml"]);
    expect(run.results).toEqual(["warn", "pass"]);
    expect(run.errors.map((e) => e.file)).toEqual(["b.yml"]);
    // What the failing model set before its mistake stays; a later model overwrites it.
    expect(run.outputs).toEqual({ result: "c.yml.json", status: "pass" });
  });

  it("lets a bug propagate at once, without running the remaining models", async () => {
    const seen: string[] = [];
    const running = forEachModel(["a.yml", "b.yml"], async (path) => {
      seen.push(path);
      throw new TypeError("undefined is not a function");
    });
    await expect(running).rejects.toThrow(TypeError);
    expect(seen).toEqual(["a.yml"]);
  });

  it("collects a failed GitHub call as a user mistake of its model, translated", async () => {
    const run = await forEachModel(["a.yml", "b.yml"], async (path) => {
      if (path === "a.yml") {
        throw Object.assign(new Error("Resource not accessible by integration"), {
          status: 403,
          request: { method: "GET", url: "https://api.github.com/repos/acme/models/issues/9/comments" },
        });
      }
      return "pass";
    });
    expect(run.results).toEqual(["pass"]);
    expect(run.errors.map((e) => e.message)).toEqual([
      expect.stringContaining("it needs `permissions: pull-requests: read`"),
    ]);
  });

  it("returns an empty run for no paths", async () => {
    expect(await forEachModel([], async () => "pass")).toEqual({ results: [], errors: [], outputs: {} });
  });
});

describe("checkVerdict", () => {
  const verdict = (results: CheckStatus[], errors: number, failOn: "error" | "warning" | "never") =>
    checkVerdict({ results, errors: Array.from({ length: errors }, () => mistake("m.yml")) }, failOn);

  it("is the worst status, failing the step as fail-on says", () => {
    expect(verdict(["pass", "warn"], 0, "error")).toEqual({ status: "warn", passed: true, fails: false });
    expect(verdict(["pass", "warn"], 0, "warning")).toEqual({ status: "warn", passed: false, fails: true });
    expect(verdict(["fail", "pass"], 0, "error")).toEqual({ status: "fail", passed: false, fails: true });
    // fail-on: never changes only the exit code: a failed check is still not passed.
    expect(verdict(["fail"], 0, "never")).toEqual({ status: "fail", passed: false, fails: false });
    expect(verdict(["warn"], 0, "never")).toEqual({ status: "warn", passed: true, fails: false });
    expect(verdict([], 0, "error")).toEqual({ status: "pass", passed: true, fails: false });
  });

  it("is a fail that never passes when a model hit a user mistake, even with fail-on: never", () => {
    expect(verdict(["pass"], 1, "error")).toEqual({ status: "fail", passed: false, fails: true });
    expect(verdict(["pass"], 1, "never")).toEqual({ status: "fail", passed: false, fails: false });
  });
});

describe("gateVerdict", () => {
  type Gate = "pass" | "pending" | "fail";
  const verdict = (results: Gate[], errors: number, failOn: "error" | "warning" | "never") =>
    gateVerdict({ results, errors: Array.from({ length: errors }, () => mistake("m.yml")) }, failOn);

  it("is the worst gate in any order; only a passed gate passes", () => {
    expect(verdict(["pass", "pass"], 0, "error")).toEqual({ status: "pass", passed: true, fails: false });
    expect(verdict(["pending", "pass"], 0, "error")).toEqual({
      status: "pending",
      passed: false,
      fails: false,
    });
    expect(verdict(["fail", "pending"], 0, "error")).toEqual({ status: "fail", passed: false, fails: true });
    expect(verdict(["pending", "fail", "pass"], 0, "never")).toEqual({
      status: "fail",
      passed: false,
      fails: false,
    });
    expect(verdict([], 0, "error")).toEqual({ status: "pass", passed: true, fails: false });
  });

  it("fails the step on a pending gate only with fail-on: warning", () => {
    expect(verdict(["pending"], 0, "warning")).toEqual({ status: "pending", passed: false, fails: true });
    expect(verdict(["pending"], 0, "never")).toEqual({ status: "pending", passed: false, fails: false });
  });

  it("is a fail when a model hit a user mistake", () => {
    expect(verdict(["pass"], 1, "error")).toEqual({ status: "fail", passed: false, fails: true });
    expect(verdict(["pass"], 1, "never")).toEqual({ status: "fail", passed: false, fails: false });
  });
});

describe("finishModelRun", () => {
  it("sets the outputs, then status and passed, and leaves the exit code alone when the step passes", () => {
    finishModelRun(
      { outputs: { result: "r.json", status: "warn", "comment-id": undefined }, errors: [] },
      { status: "warn", passed: true, fails: false },
    );
    expect(writtenOutputs()).toEqual([
      ["result", "r.json"],
      ["status", "warn"],
      ["passed", "true"],
    ]);
    expect(process.exitCode).toBeUndefined();
    expect(errorLines()).toEqual([]);
  });

  it("reports each user mistake as its own ::error line with exit code 1", () => {
    finishModelRun(
      { outputs: {}, errors: [mistake("models/a/model.yml"), mistake("models/b/model.yml")] },
      { passed: false, fails: false },
    );
    expect(writtenOutputs()).toEqual([["passed", "false"]]);
    const exitCode = process.exitCode;
    expect(exitCode).toBe(1);
    expect(errorLines()).toHaveLength(2);
    expect(errorLines()[0]).toContain("file=models/a/model.yml");
    expect(errorLines()[1]).toContain("file=models/b/model.yml");
  });

  it("sets exit code 1 when the verdict fails the step", () => {
    finishModelRun({ outputs: {}, errors: [] }, { status: "fail", passed: false, fails: true });
    const exitCode = process.exitCode;
    expect(exitCode).toBe(1);
    expect(errorLines()).toEqual([]);
  });
});
