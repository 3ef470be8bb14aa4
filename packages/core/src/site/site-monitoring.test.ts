import { describe, expect, it } from "vitest";
import type { DriftResult } from "../drift/drift-result.js";
import { siteMonitoring } from "./site-monitoring.js";

describe("siteMonitoring", () => {
  it("keeps the level, verdict and each window's drift and health", () => {
    const window = {
      start: "2026-05-05T00:00:00.000Z",
      end: "2026-05-06T00:00:00.000Z",
      rows: 480,
      level: "alert",
      driftIndex: 1.7,
      worstColumn: "tenure",
      estimatedAccuracy: 0.81,
      health: { meanScore: 0.31, lowConfidenceShare: 0.12, positiveShare: 0.2 },
    };
    const drift = {
      model: { name: "churn", version: "1.2.0" },
      level: "alert",
      verdict: "alert: 1 of 3 columns drifted",
      windows: [window],
    } as unknown as DriftResult;
    expect(siteMonitoring(drift, null)).toEqual({
      version: "1.2.0",
      level: "alert",
      verdict: "alert: 1 of 3 columns drifted",
      url: null,
      windows: [
        {
          start: window.start,
          end: window.end,
          rows: 480,
          level: "alert",
          driftIndex: 1.7,
          worstColumn: "tenure",
          meanScore: 0.31,
          lowConfidenceShare: 0.12,
          positiveShare: 0.2,
          estimatedAccuracy: 0.81,
        },
      ],
    });
  });
});

describe("siteResult", () => {
  it("passes a result with the expected schema tag and names the file of any other", async () => {
    const { siteResult } = await import("./site-result.js");
    expect(siteResult({ schema: "gauntlet/drift@1", level: "ok" }, "gauntlet/drift@1", "drift.json")).toEqual(
      {
        schema: "gauntlet/drift@1",
        level: "ok",
      },
    );
    expect(() => siteResult({ schema: "gauntlet/gate@1" }, "gauntlet/drift@1", "x/drift.json")).toThrow(
      /x\/drift\.json.*schema|schema.*x\/drift\.json/s,
    );
    expect(() => siteResult([1], "gauntlet/drift@1", "drift.json")).toThrow(/no schema tag/);
  });
});
