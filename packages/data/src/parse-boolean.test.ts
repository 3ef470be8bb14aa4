import { describe, expect, it } from "vitest";
import { parseBoolean } from "./parse-boolean.js";

describe("parseBoolean", () => {
  it("reads true/false in any letter case", () => {
    expect(["true", "True", "TRUE", "false", "False", " false "].map((text) => parseBoolean(text))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it("reads 1/0 only when the column is declared boolean", () => {
    expect(parseBoolean("1")).toBeUndefined();
    expect(parseBoolean("1", { numeric: true })).toBe(true);
    expect(parseBoolean("0", { numeric: true })).toBe(false);
    expect(parseBoolean("yes", { numeric: true })).toBeUndefined();
    expect(parseBoolean("")).toBeUndefined();
  });
});
