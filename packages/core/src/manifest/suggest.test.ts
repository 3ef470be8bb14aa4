import { describe, expect, it } from "vitest";
import { closestMatch, editDistance } from "./suggest.js";

describe("closestMatch", () => {
  it("suggests near keys, including transpositions and _ for -", () => {
    expect(editDistance("mni", "min")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(closestMatch("mni", ["metric", "min", "max"])).toBe("min");
    expect(closestMatch("max_age", ["max-age", "nullable"])).toBe("max-age");
    expect(closestMatch("colum", ["column", "bins"])).toBe("column");
  });

  it("does not suggest unrelated keys", () => {
    expect(closestMatch("colour", ["min", "max"])).toBeUndefined();
    expect(closestMatch("xyz", [])).toBeUndefined();
  });
});
