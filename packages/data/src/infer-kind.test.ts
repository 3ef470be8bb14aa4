import { describe, expect, it } from "vitest";
import { inferKind } from "./infer-kind.js";

describe("inferKind", () => {
  it("infers each kind from text", () => {
    expect(inferKind(["true", "False", ""])).toBe("boolean");
    expect(inferKind(["1", "-2.5", "1e3", "NaN", "Infinity", "-Infinity"])).toBe("number");
    expect(inferKind(["2024-01-01", "2024-01-02T10:00:00+02:00", "2024-01-03 10:00:00"])).toBe("timestamp");
    expect(inferKind(["AE", "SA"])).toBe("category");
  });

  it("treats 1/0 as numbers, not booleans", () => {
    expect(inferKind(["1", "0", "1"])).toBe("number");
  });

  it("keeps a column numeric when at least 90% of its values are numbers", () => {
    const nine = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
    expect(inferKind([...nine, "n/a"])).toBe("number");
    expect(inferKind([...nine.slice(0, 8), "n/a", "unknown"])).toBe("category");
  });

  it("ignores missing values and calls an all-missing column a category", () => {
    expect(inferKind(["", null, undefined, "3"])).toBe("number");
    expect(inferKind(["", null])).toBe("category");
    expect(inferKind([])).toBe("category");
  });

  it("counts JSON scalars as their own kind", () => {
    expect(inferKind([1, 2.5, "3"])).toBe("number");
    expect(inferKind([true, false])).toBe("boolean");
    expect(inferKind([1, "a", "b"])).toBe("category");
  });
});
