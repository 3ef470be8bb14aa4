import { describe, expect, it } from "vitest";
import type { RowPass } from "../metrics/binary-pass.js";
import { prepareBinaryPass } from "../metrics/prepare-binary-pass.js";
import { pointTallies, type TallyRunner, tallyHere } from "./point-tallies.js";

const labels = Float64Array.of(1, 0, 1, 1, 0, 0, 1, 0);
const groupIds = [new Uint8Array(8), Uint8Array.of(1, 1, 2, 2, 1, 2, 1, 2)];
const prepare = (scores: number[]) => () =>
  prepareBinaryPass({ labels, scores: Float64Array.from(scores), groupIds, groups: 3 }, 0.5);
const candidate = [0.9, 0.2, 0.7, 0.7, 0.4, 0.1, 0.6, 0.7];
const baseline = [0.6, 0.5, 0.5, 0.8, 0.3, 0.3, 0.9, 0.2];

describe("pointTallies", () => {
  it("hands every model's run but the last to the runner as soon as its pass is prepared: the same tallies", () => {
    const steps: string[] = [];
    const traced = (name: string, scores: number[]) => () => {
      steps.push(`prepare ${name}`);
      return prepare(scores)();
    };
    const runner: TallyRunner = (pass: RowPass, weights) => {
      steps.push("runner");
      return tallyHere(pass, weights);
    };
    const weights = Float64Array.of(1, 2, 0, 1, 1, 3, 1, 0.5);
    for (const w of [null, weights]) {
      steps.length = 0;
      const { passes, tallies } = pointTallies([traced("c", candidate), traced("b", baseline)], w, runner);
      expect(steps).toEqual(["prepare c", "runner", "prepare b"]);
      expect(passes).toHaveLength(2);
      expect(tallies).toEqual([tallyHere(prepare(candidate)(), w)(), tallyHere(prepare(baseline)(), w)()]);
    }
    // One model: its run is here (nothing to overlap it with).
    steps.length = 0;
    pointTallies([traced("c", candidate)], null, runner);
    expect(steps).toEqual(["prepare c"]);
  });
});
