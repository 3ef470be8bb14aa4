import { expect, it } from "vitest";
import { calibrationCurve } from "./calibration-curve.js";

it("bins scores like sklearn.calibration.calibration_curve(strategy='uniform')", () => {
  // sklearn: calibration_curve([0,1,1,1,0], [0.1,0.2,0.8,0.9,0.5], n_bins=2)
  //   -> prob_true [0.333.., 1.0], prob_pred [0.2666.., 0.85]  (0.5 falls in the lower, right-closed bin)
  const curve = calibrationCurve([0.1, 0.2, 0.8, 0.9, 0.5], [0, 1, 1, 1, 0], 2);
  expect(curve).toHaveLength(2);
  expect(curve[0]!.count).toBe(3);
  expect(curve[0]!.positiveRate).toBeCloseTo(1 / 3, 12);
  expect(curve[0]!.meanScore).toBeCloseTo(0.8 / 3, 12);
  expect(curve[1]).toMatchObject({ lower: 0.5, upper: 1, count: 2, positiveRate: 1 });
  expect(curve[1]!.meanScore).toBeCloseTo(0.85, 12);
  expect(calibrationCurve([], [], 5)).toEqual([]);
  expect(() => calibrationCurve([1.5], [1], 2)).toThrow(RangeError);
});
