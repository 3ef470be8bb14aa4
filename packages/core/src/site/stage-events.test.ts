import { describe, expect, it } from "vitest";
import { type StageMove, stageEvents } from "./stage-events.js";

const move = (stage: string, version: string): StageMove => ({ stage, version, at: null, by: [], url: null });

describe("stageEvents", () => {
  it("calls a move to a lower version a rollback, per stage, and skips re-runs", () => {
    const events = stageEvents([
      move("production", "1.0.0"),
      move("canary", "1.1.0"),
      move("production", "1.1.0"),
      move("production", "1.1.0"),
      move("canary", "1.2.0"),
      move("production", "1.0.0"),
      move("canary", "1.0.10"),
    ]);
    expect(events.map((e) => `${e.kind} ${e.stage} ${e.version}`)).toEqual([
      "promoted production 1.0.0",
      "promoted canary 1.1.0",
      "promoted production 1.1.0",
      "promoted canary 1.2.0",
      "rolled back production 1.0.0",
      "rolled back canary 1.0.10",
    ]);
  });
});
