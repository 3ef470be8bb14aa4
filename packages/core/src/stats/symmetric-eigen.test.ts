import { describe, expect, it } from "vitest";
import { symmetricEigen } from "./symmetric-eigen.js";

describe("symmetricEigen", () => {
  it("finds the eigenpairs of a symmetric matrix, largest first, with A v = λ v", () => {
    const m = [4, 1, 2, 1, 3, 0.5, 2, 0.5, 5];
    const { values, vectors } = symmetricEigen(m, 3);
    // numpy.linalg.eigvalsh([[4,1,2],[1,3,.5],[2,.5,5]]) = [2.09652162, 3.07222395, 6.83125443]
    expect(values[0]).toBeCloseTo(6.83125443, 7);
    expect(values[2]).toBeCloseTo(2.09652162, 7);
    for (let k = 0; k < 3; k++) {
      const v = vectors[k]!;
      for (let i = 0; i < 3; i++) {
        const av = m[i * 3]! * v[0]! + m[i * 3 + 1]! * v[1]! + m[i * 3 + 2]! * v[2]!;
        expect(av).toBeCloseTo(values[k]! * v[i]!, 10);
      }
    }
    expect(values.reduce((a, b) => a + b)).toBeCloseTo(12, 10);
  });
});
