import { describe, expect, it } from "vitest";
import { isUserError } from "../errors/user-error.js";
import { parseDuration } from "./duration.js";

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
