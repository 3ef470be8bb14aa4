import { describe, expect, it } from "vitest";
import { isUserError } from "../errors/user-error.js";
import { isWindowWidth, parseDuration, parseWindowWidth } from "./duration.js";

describe("parseDuration", () => {
  it("converts each unit and combinations to milliseconds", () => {
    expect(parseDuration("45s")).toBe(45_000);
    expect(parseDuration("90m")).toBe(5_400_000);
    expect(parseDuration("12h")).toBe(43_200_000);
    expect(parseDuration("30d")).toBe(2_592_000_000);
    expect(parseDuration("2w")).toBe(1_209_600_000);
    expect(parseDuration("1d12h")).toBe(129_600_000);
    expect(parseDuration("1.5h")).toBe(5_400_000);
  });

  it("throws a user error with a fix for text that is not a duration", () => {
    for (const bad of ["30", "30 days", "d", "-1d", ""]) {
      let caught: unknown;
      try {
        parseDuration(bad);
      } catch (error) {
        caught = error;
      }
      expect(isUserError(caught)).toBe(true);
    }
  });
});

describe("window widths", () => {
  it("accepts durations longer than zero", () => {
    expect(isWindowWidth("1d")).toBe(true);
    expect(isWindowWidth("0.5h")).toBe(true);
    expect(parseWindowWidth("6h", { field: "--window" })).toBe(21_600_000);
  });

  it("refuses a zero width and text that is not a duration, naming where it was given", () => {
    for (const zero of ["0h", "0d", "0d0h", "0.0s"]) expect(isWindowWidth(zero)).toBe(false);
    expect(isWindowWidth("1 day")).toBe(false);
    expect(() => parseWindowWidth("0d", { field: "--window" })).toThrow(
      '--window: "0d" is not longer than zero. Fix: give a window longer than zero: a number and a unit (w, d, h, m, s), e.g. 1d or 6h',
    );
    expect(() => parseWindowWidth("daily", { field: "--window" })).toThrow(
      /--window: "daily" is not a duration/,
    );
  });
});
