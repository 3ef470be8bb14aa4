import { describe, expect, it } from "vitest";
import { isUserError } from "../errors/user-error.js";
import { DRIFT_STATE_SCHEMA, parseDriftState } from "./drift-state.js";
import { mergeLabelledSamples } from "./realised-metrics.js";
import { createScoreTally } from "./score-tally.js";
import { mergeScoreTallyStates } from "./score-tally-state.js";

describe("mergeScoreTallyStates", () => {
  it("equals one tally over all scores: counts exactly, sums to rounding", () => {
    const scores = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 999);
    const outcome = (i: number) => (i % 3 === 0 ? Number.NaN : i % 2);
    const one = createScoreTally({ threshold: 0.5 });
    const parts = [0, 1, 2].map(() => createScoreTally({ threshold: 0.5 }));
    scores.forEach((s, i) => {
      one.add(s, outcome(i));
      parts[i % 3]!.add(s, outcome(i));
    });
    const merged = createScoreTally({ threshold: 0.5 }, mergeScoreTallyStates(parts.map((p) => p.state())));
    const a = one.finish();
    const b = merged.finish();
    expect(b.rows).toBe(a.rows);
    expect(b.labelled).toBe(a.labelled);
    expect(b.realisedAccuracy).toBe(a.realisedAccuracy);
    expect(b.meanScore!).toBeCloseTo(a.meanScore!, 12);
    expect(b.estimated.roc_auc!).toBeCloseTo(a.estimated.roc_auc!, 12);
  });
});

describe("mergeLabelledSamples", () => {
  it("keeps every row while they fit, and a sample of the capacity beyond", () => {
    const part = (seen: number, offset: number) => ({
      seen,
      scores: Array.from({ length: Math.min(seen, 100) }, (_, i) => (offset + i) / 1000),
      labels: Array.from({ length: Math.min(seen, 100) }, (_, i) => i % 2),
    });
    const all = mergeLabelledSamples([part(30, 0), part(40, 100)], 100, "churn");
    expect(all.seen).toBe(70);
    expect(all.scores).toHaveLength(70);
    // 1,000 rows seen by the first part, 100 by the second: about a tenth come from the second.
    const sampled = mergeLabelledSamples([part(1000, 0), part(100, 500)], 100, "churn");
    expect(sampled.seen).toBe(1100);
    expect(sampled.scores).toHaveLength(100);
    const fromSecond = sampled.scores.filter((s) => s >= 0.5).length;
    expect(fromSecond).toBeGreaterThan(2);
    expect(fromSecond).toBeLessThan(25);
    expect(mergeLabelledSamples([part(1000, 0), part(100, 500)], 100, "churn")).toEqual(sampled);
  });
});

describe("parseDriftState", () => {
  it("accepts a state and names the first bad field of anything else", () => {
    const state = {
      schema: DRIFT_STATE_SCHEMA,
      rows: { read: 3, used: 3, skipped: {}, otherVersions: {} },
      windows: [],
      labelled: null,
    };
    expect(parseDriftState(state, "p.json")).toEqual(state);
    let error: unknown;
    try {
      parseDriftState({ ...state, rows: { ...state.rows, used: -1 } }, "p.json");
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^p\.json: state\.rows\.used: not a drift-check state/);
  });
});
