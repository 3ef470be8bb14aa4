import { describe, expect, it } from "vitest";
import {
  classPredictions,
  confidence,
  decision,
  headlineScore,
  isValidPrediction,
  predictionChange,
  predictionText,
  singlePredictions,
} from "./predictions.js";

describe("predictions per task", () => {
  const multi = classPredictions(Float64Array.of(0.2, 0.5, 0.3, 0.4, 0.4, 0.2, Number.NaN, 0.5, 0.5), 3);
  const other = classPredictions(Float64Array.of(0.1, 0.5, 0.4, 0.4, 0.4, 0.2, 0.3, 0.3, 0.4), 3);
  const binary = singlePredictions("binary", Float64Array.of(0.9, 0.5, 1.2));
  const values = singlePredictions("regression", Float64Array.of(41.5, -3, Number.NaN));

  it("decides the most probable class (the first on ties), the binary class at the threshold, none for regression", () => {
    expect([0, 1, 2].map((r) => decision(multi, r, 0.5))).toEqual([1, 0, -1]);
    expect([0, 1, 2].map((r) => decision(binary, r, 0.5))).toEqual([1, 1, -1]); // 1.2 is no probability
    expect(decision(values, 0, 0.5)).toBeNull();
  });
  it("measures a change as the largest move of any number of the row", () => {
    expect(predictionChange(multi, 0, other, 0)).toBeCloseTo(0.1, 12);
    expect(predictionChange(multi, 1, other, 1)).toBe(0);
    expect(predictionChange(multi, 2, other, 2)).toBe(Infinity);
    expect(predictionChange(values, 0, values, 1)).toBeCloseTo(44.5, 12);
  });
  it("gives a classifier's confidence (largest probability, |2s − 1|) and none for regression", () => {
    expect(confidence(multi, 0)).toBeCloseTo(0.5, 12);
    expect(confidence(binary, 0)).toBeCloseTo(0.8, 12);
    expect(confidence(binary, 2)).toBe(1);
    expect(confidence(values, 0)).toBeNull();
  });
  it("keeps probabilities in [0, 1] for classifiers and any finite value for regression", () => {
    expect([0, 1, 2].map((r) => isValidPrediction(values, r))).toEqual([true, true, false]);
    expect(isValidPrediction(binary, 2)).toBe(false);
    expect(isValidPrediction(multi, 2)).toBe(false);
    expect(headlineScore(values, 1)).toBe(-3);
    expect(headlineScore(multi, 0)).toBe(0.5);
    expect(headlineScore(multi, 2)).toBeNull();
    expect(predictionText(multi, 0, ["basic", "plus", "premium"])).toBe("plus (0.500)");
    expect(predictionText(values, 0)).toBe("41.500");
  });
});
