import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actionPaths } from "./workspace.js";

let root: string;
let outside: string;
const env = () => ({ GITHUB_WORKSPACE: root });
const paths = (workspace?: string, resultsDir = ".gauntlet") =>
  actionPaths({ workspace, "results-dir": resultsDir }, env());

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "gauntlet-root-"));
  outside = mkdtempSync(join(tmpdir(), "gauntlet-outside-"));
  mkdirSync(join(root, "head", "models"), { recursive: true });
  writeFileSync(join(root, "file.txt"), "x");
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe("actionPaths", () => {
  it("is the job's workspace without the input, results relative to it", () => {
    expect(paths()).toEqual({ cwd: root, resultsDir: join(root, ".gauntlet") });
  });

  it("reads from the workspace folder but keeps results in the job's workspace", () => {
    expect(paths("head")).toEqual({ cwd: join(root, "head"), resultsDir: join(root, ".gauntlet") });
    expect(paths(join(root, "head/models"), "out").cwd).toBe(join(root, "head", "models"));
  });

  it.each([
    ["..", "outside the job's workspace"],
    ["head/../../x", "outside the job's workspace"],
    ["/etc", "outside the job's workspace"],
    ["missing", "does not exist"],
    ["file.txt", "is not a folder"],
  ])("refuses workspace '%s' with one error naming the input", (workspace, problem) => {
    const error = (() => {
      try {
        paths(workspace);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).field).toBe("workspace");
    expect((error as UserError).problem).toContain(problem);
    expect((error as UserError).fix).toContain("path: head");
  });

  it("refuses a folder that is a symlink out of the job's workspace", () => {
    symlinkSync(outside, join(root, "escape"));
    expect(() => paths("escape")).toThrow(/symlink to .* outside the job's workspace/);
  });
});
