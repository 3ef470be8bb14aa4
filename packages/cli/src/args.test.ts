import { isUserError } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { windowOption } from "./args.js";

describe("windowOption", () => {
  it("passes a positive --window through and leaves an absent one undefined", () => {
    expect(windowOption({ window: "6h" })).toBe("6h");
    expect(windowOption({})).toBeUndefined();
  });

  it("refuses --window 0d as a user error naming the option, not a RangeError later", () => {
    let caught: unknown;
    try {
      windowOption({ window: "0d" });
    } catch (error) {
      caught = error;
    }
    expect(isUserError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/^--window: "0d" is not longer than zero\. Fix: /);
  });
});
