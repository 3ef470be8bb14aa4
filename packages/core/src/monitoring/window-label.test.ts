import { describe, expect, it } from "vitest";
import { windowLabel } from "./window-label.js";

describe("windowLabel", () => {
  it("names a window by its UTC start to the minute", () => {
    expect(windowLabel("2024-05-01T13:45:59.999Z")).toBe("2024-05-01 13:45");
  });
});
