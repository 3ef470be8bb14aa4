import { describe, expect, it } from "vitest";
import { everyCase } from "./measure.js";

describe("everyCase", () => {
  const reasons = { none: "no cases", pass: "all pass", fail: "some fail" };
  it("skips with no case, passes with no failure, fails on any", () => {
    expect(everyCase(0, 0, reasons, [])).toMatchObject({ status: "skip", value: null, reason: "no cases" });
    expect(everyCase(25, 0, reasons, [])).toMatchObject({
      status: "pass",
      value: 0,
      judged: 25,
      reason: "all pass",
    });
    const example = { inputs: { age: 1 }, score: 0.5, note: "bad" };
    expect(everyCase(25, 1, reasons, [example])).toEqual({
      status: "fail",
      value: 1,
      failures: 1,
      judged: 25,
      reason: "some fail",
      examples: [example],
    });
  });
});
