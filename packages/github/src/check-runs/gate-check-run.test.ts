import { describe, expect, it } from "vitest";
import { gateCheckRunState } from "./gate-check-run.js";

describe("gateCheckRunState", () => {
  it("keeps a pending gate in progress, so a required check blocks the merge", () => {
    expect(gateCheckRunState("pending")).toEqual({ status: "in_progress" });
  });

  it("completes a decided gate with its conclusion", () => {
    expect(gateCheckRunState("pass")).toEqual({ status: "completed", conclusion: "success" });
    expect(gateCheckRunState("fail")).toEqual({ status: "completed", conclusion: "failure" });
  });
});
