import { describe, expect, it } from "vitest";
import { manifestSchema } from "../manifest/schema.js";
import { classifyBaselineReference } from "../report/evaluation-result.js";
import { compareVersions, isVersion } from "./compare-versions.js";

describe("one semver pattern", () => {
  it("refuses a leading zero everywhere a version is read: isVersion, precedence, baseline references", () => {
    expect(isVersion("1.2.0")).toBe(true);
    expect(isVersion("1.02.0")).toBe(false);
    expect(isVersion("01.2.0")).toBe(false);
    expect(() => compareVersions("1.02.0", "1.1.0")).toThrow(RangeError);
    // Not a version, so a baseline of "v1.02.0" names an alias (and is looked up as one), never version 1.2.0.
    expect(classifyBaselineReference("v1.02.0").kind).toBe("alias");
    expect(classifyBaselineReference("v1.2.0")).toEqual({
      kind: "version",
      reference: "v1.2.0",
      value: "1.2.0",
    });
    expect(classifyBaselineReference("1.2.0-rc.1+b.5").value).toBe("1.2.0-rc.1+b.5");
  });

  it("is the manifest's version pattern", () => {
    const accepted = (version: string) => manifestSchema.shape.version.safeParse(version).success;
    for (const version of [
      "1.2.0",
      "0.0.1-alpha.1",
      "2.0.0+build.7",
      "1.02.0",
      "1.2",
      "v1.2.0",
      "1.2.0-01",
    ]) {
      expect(accepted(version), version).toBe(isVersion(version));
    }
  });

  it("accepts pre-releases and build metadata but no leading v or spaces", () => {
    expect(isVersion("2.0.0-rc.1")).toBe(true);
    expect(isVersion("1.0.0+build.5")).toBe(true);
    expect(isVersion("v1.0.0")).toBe(false);
    expect(isVersion(" 1.0.0")).toBe(false);
  });
});
