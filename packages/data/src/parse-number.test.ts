import { describe, expect, it } from "vitest";
import { numberInRange, parseNumber } from "./parse-number.js";

describe("parseNumber", () => {
  it.each([
    ["42", 42],
    ["-1.5e3", -1500],
    ["+0.25", 0.25],
    [".5", 0.5],
    ["5.", 5],
    ["1E-2", 0.01],
    [" 12 ", 12],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
  ])("reads %j as %d", (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });

  it("keeps NaN as a number, not as invalid", () => {
    expect(parseNumber("NaN")).toBeNaN();
  });

  it.each(["", "  ", "abc", "12kg", "0x1F", "0b11", "0o17", "1_000", "inf", "1,5", "--1"])(
    "rejects %j",
    (text) => {
      expect(parseNumber(text)).toBeUndefined();
    },
  );
});

describe("numberInRange", () => {
  it("parses a field inside a longer line without slicing it", () => {
    const line = "a,-12.50,7,x";
    expect(numberInRange(line, 2, 8)).toBe(-12.5);
    expect(numberInRange(line, 9, 10)).toBe(7);
    expect(numberInRange(line, 11, 12)).toBeUndefined();
  });

  it("matches Number() on decimals near the 15-digit limit and beyond", () => {
    for (const text of [
      "0.1",
      "123456789012345",
      "1234567890123456789",
      "0.000000000000001",
      "99.99999999999999",
    ]) {
      expect(numberInRange(`,${text},`, 1, text.length + 1)).toBe(Number(text));
    }
  });

  it("falls back to the general parser for exponents and non-finite values", () => {
    expect(numberInRange("1e3", 0, 3)).toBe(1000);
    expect(numberInRange("-Infinity", 0, 9)).toBe(Number.NEGATIVE_INFINITY);
    expect(numberInRange("+", 0, 1)).toBeUndefined();
    expect(numberInRange("1.2.3", 0, 5)).toBeUndefined();
  });
});
