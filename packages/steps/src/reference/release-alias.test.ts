import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isReleaseAlias } from "./release-alias.js";

describe("isReleaseAlias", () => {
  const cwd = mkdtempSync(join(tmpdir(), "gauntlet-alias-"));
  writeFileSync(join(cwd, "baseline"), "a,b\n1,2\n");
  mkdirSync(join(cwd, "profiles"));

  it("reads a bare lower-case name that is no file as an alias", () => {
    expect(isReleaseAlias("production", cwd)).toBe(true);
    expect(isReleaseAlias("canary-2", cwd)).toBe(true);
  });

  it("reads a name that is a file or folder in the workspace as that file", () => {
    expect(isReleaseAlias("baseline", cwd)).toBe(false);
    expect(isReleaseAlias("profiles", cwd)).toBe(false);
  });

  it("reads paths and names an alias tag cannot hold as files", () => {
    for (const location of ["profile.json", "data/train.csv", "Production", "ref_1", ""]) {
      expect(isReleaseAlias(location, cwd), location).toBe(false);
    }
  });
});
