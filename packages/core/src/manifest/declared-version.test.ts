import { describe, expect, it } from "vitest";
import { declaredVersion } from "./declared-version.js";

describe("declaredVersion", () => {
  it("reads the top-level version, whatever else the manifest holds", () => {
    expect(declaredVersion("name: churn\nversion: 1.3.0\nunknown-field: 1\n")).toBe("1.3.0");
    expect(declaredVersion('version: "2.0.0"')).toBe("2.0.0");
    expect(declaredVersion("version: 1.3")).toBe("1.3");
  });

  it("is undefined without a version or for text that is not a YAML mapping", () => {
    expect(declaredVersion("name: churn\n")).toBeUndefined();
    expect(declaredVersion("- a\n- b\n")).toBeUndefined();
    expect(declaredVersion("name: [unclosed\n")).toBeUndefined();
    expect(declaredVersion("data:\n  nested:\n    version: 1.0.0\n")).toBeUndefined();
  });
});
