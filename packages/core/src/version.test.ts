import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GAUNTLET_VERSION } from "./version.js";

describe("GAUNTLET_VERSION", () => {
  it("is the root package.json's version", () => {
    const root = JSON.parse(
      readFileSync(join(import.meta.dirname, "..", "..", "..", "package.json"), "utf8"),
    );
    expect(GAUNTLET_VERSION).toBe(root.version);
  });
});
