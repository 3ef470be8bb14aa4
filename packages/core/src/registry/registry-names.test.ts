import { describe, expect, it } from "vitest";
import { parseVersionTag, versionTag } from "./registry-names.js";

describe("parseVersionTag", () => {
  it("reads back what versionTag writes, and nothing else", () => {
    expect(parseVersionTag(versionTag("churn", "1.3.0"))).toEqual({ model: "churn", version: "1.3.0" });
    expect(parseVersionTag("fraud-v2/v0.1.0-rc.1")).toEqual({ model: "fraud-v2", version: "0.1.0-rc.1" });
    expect(parseVersionTag("churn/production")).toBeUndefined();
    expect(parseVersionTag("churn/canary")).toBeUndefined();
    expect(parseVersionTag("v1.0.0")).toBeUndefined();
    expect(parseVersionTag("a/b/v1.0.0")).toBeUndefined();
  });
});
