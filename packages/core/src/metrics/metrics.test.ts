import { describe, expect, it } from "vitest";
import type { MetricName } from "../manifest/metric-names.js";
import { eceBin } from "./ece-bin.js";
import { prepareBinaryPass } from "./prepare-binary-pass.js";
import { METRICS } from "./registry.js";

const TOL = 1e-9;

// Reference values from scikit-learn 1.2.1 (Debian bookworm), produced by:
//   import numpy as np; from sklearn import metrics as m
//   y = np.array([0,1,1,0,1,0,0,1,1,0,1,0]); s = np.array([0.1,0.4,0.5,0.8,0.4,0.4,0.05,0.9,0.65,0.65,1.0,0.0])
//   w = np.array([1,2,0.5,1.5,1,3,1,0.25,2,1,1,0.7]); pred = (s >= 0.5).astype(int)
//   m.roc_auc_score(y, s, sample_weight=w), m.average_precision_score(y, s, sample_weight=w),
//   m.accuracy_score(y, pred, sample_weight=w), m.precision_score(...), m.recall_score(...), m.f1_score(...),
//   m.log_loss(y, s, sample_weight=w), m.brier_score_loss(y, s, sample_weight=w)   (and with sample_weight=None)
//   ece: b = np.clip(np.ceil(s*10).astype(int)-1, 0, 9); sum(abs((w*y)[b==k].sum() - (w*s)[b==k].sum()) for k in range(10)) / w.sum()
// The scores hold ties across classes (0.4 ×3, 0.65 ×2), a score equal to the threshold (0.5) and 0 / 1
// (which log_loss clips at float64 eps).
const y = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0];
const s = [0.1, 0.4, 0.5, 0.8, 0.4, 0.4, 0.05, 0.9, 0.65, 0.65, 1.0, 0.0];
const w = [1, 2, 0.5, 1.5, 1, 3, 1, 0.25, 2, 1, 1, 0.7];
const BINARY: Record<string, Record<string, number>> = {
  unweighted: {
    roc_auc: 0.7638888888888888,
    average_precision: 0.7666666666666666,
    accuracy: 0.6666666666666666,
    precision: 0.6666666666666666,
    recall: 0.6666666666666666,
    f1: 0.6666666666666666,
    log_loss: 0.5323842955668902,
    brier: 0.1947916666666667,
    ece: 0.22083333333333333,
  },
  weighted: {
    roc_auc: 0.6883468834688347,
    average_precision: 0.6419994084590357,
    accuracy: 0.6321070234113713,
    precision: 0.6,
    recall: 0.5555555555555556,
    f1: 0.576923076923077,
    log_loss: 0.6111345432438116,
    brier: 0.22257525083612043,
    ece: 0.15217391304347824,
  },
};

// Multiclass, same session: ym, P (rows sum to 1; row 3 ties classes 0 and 1, np.argmax takes 0;
// class 3 is never a label nor a prediction, so f1 macro leaves it out), wm:
//   m.accuracy_score(ym, P.argmax(1), sample_weight=wm), m.f1_score(ym, P.argmax(1), average="macro"|"weighted", sample_weight=wm),
//   m.log_loss(ym, P, labels=[0,1,2,3], sample_weight=wm)
const ym = [0, 1, 2, 2, 1, 0, 1, 2, 0, 1];
const P = [
  [0.7, 0.2, 0.05, 0.05],
  [0.1, 0.6, 0.2, 0.1],
  [0.2, 0.2, 0.5, 0.1],
  [0.4, 0.4, 0.1, 0.1],
  [0.3, 0.3, 0.3, 0.1],
  [0.25, 0.25, 0.25, 0.25],
  [0.05, 0.05, 0.9, 0.0],
  [0.0, 0.1, 0.8, 0.1],
  [1.0, 0.0, 0.0, 0.0],
  [0.3, 0.5, 0.1, 0.1],
].flat();
const wm = [1, 0.5, 2, 1, 3, 1, 0.2, 1, 1.5, 2];
const MULTICLASS: Record<string, Record<string, number>> = {
  unweighted: {
    accuracy: 0.7,
    f1_macro: 0.6944444444444443,
    f1_weighted: 0.6916666666666667,
    log_loss: 1.0365523012132687,
  },
  weighted: {
    accuracy: 0.6818181818181819,
    f1_macro: 0.6931510224193151,
    f1_weighted: 0.684561804295729,
    log_loss: 0.871800329634717,
  },
};

// Regression: yr holds a 0 (mape divides by eps there, hence the huge values), wr:
//   m.mean_absolute_error, np.sqrt(m.mean_squared_error), m.r2_score, m.mean_absolute_percentage_error (sample_weight=wr)
const yr = [3.0, -0.5, 2.0, 7.0, 0.0, 1.5, 4.25];
const pr = [2.5, 0.0, 2.0, 8.0, 0.3, 1.0, 5.0];
const wr = [1, 2, 0.5, 1, 1.5, 3, 0.25];
const REGRESSION: Record<string, Record<string, number>> = {
  unweighted: {
    mae: 0.5071428571428571,
    rmse: 0.5858449331643022,
    r2: 0.9400178332590281,
    mape: 193011412601592.94,
  },
  weighted: {
    mae: 0.5013513513513513,
    rmse: 0.5477842345007453,
    r2: 0.9391080229757273,
    mape: 219094035926132.56,
  },
};

function expectClose(actual: number | null, expected: number) {
  expect(actual).not.toBeNull();
  // Relative for mape's 1e14-sized values, absolute 1e-9 otherwise.
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(expected)));
}

describe("metrics match scikit-learn", () => {
  for (const variant of ["unweighted", "weighted"] as const) {
    for (const [name, expected] of Object.entries(BINARY[variant]!)) {
      it(`binary ${name} (${variant})`, () => {
        const options = { threshold: 0.5, ...(variant === "weighted" ? { weights: w } : {}) };
        expectClose(METRICS[name as MetricName].compute(y, s, options).value, expected);
      });
    }
    for (const [name, expected] of Object.entries(MULTICLASS[variant]!)) {
      it(`multiclass ${name} (${variant})`, () => {
        const options = { classes: 4, ...(variant === "weighted" ? { weights: wm } : {}) };
        expectClose(METRICS[name as MetricName].compute(ym, P, options).value, expected);
      });
    }
    for (const [name, expected] of Object.entries(REGRESSION[variant]!)) {
      it(`regression ${name} (${variant})`, () => {
        const options = variant === "weighted" ? { weights: wr } : {};
        expectClose(METRICS[name as MetricName].compute(yr, pr, options).value, expected);
      });
    }
  }

  it("integer weights equal repeating rows", () => {
    const counts = [2, 0, 1, 3, 1, 1, 0, 2, 1, 1, 1, 2];
    const ry = y.flatMap((v, i) => Array(counts[i]).fill(v));
    const rs = s.flatMap((v, i) => Array(counts[i]).fill(v));
    for (const name of Object.keys(BINARY.unweighted!) as MetricName[]) {
      const repeated = METRICS[name].compute(ry, rs).value!;
      expectClose(METRICS[name].compute(y, s, { weights: counts }).value, repeated);
    }
  });
});

describe("degenerate cases", () => {
  it("one class leaves roc_auc and average_precision undefined, keeps the rest defined", () => {
    expect(METRICS.roc_auc.compute([1, 1, 1], [0.2, 0.6, 0.9])).toMatchObject({ value: null });
    expect(METRICS.average_precision.compute([0, 0], [0.2, 0.6])).toMatchObject({ value: null });
    expect(METRICS.roc_auc.compute([0, 0], [0.2, 0.6]).reason).toMatch(/one class/);
    expect(METRICS.log_loss.compute([1, 1], [0.5, 0.5]).value).toBeCloseTo(Math.LN2, 12);
  });
  it("zero division gives 0 with a reason, like scikit-learn's default", () => {
    const p = METRICS.precision.compute([0, 1, 1], [0.1, 0.2, 0.3]);
    expect(p.value).toBe(0);
    expect(p.reason).toMatch(/zero_division/);
    expect(METRICS.recall.compute([0, 0], [0.9, 0.1])).toMatchObject({ value: 0 });
    expect(METRICS.f1.compute([0, 0], [0.1, 0.1])).toMatchObject({ value: 0 });
  });
  it("no rows or zero total weight is null for every metric", () => {
    for (const name of Object.keys(BINARY.unweighted!) as MetricName[]) {
      expect(METRICS[name].compute([], []).value).toBeNull();
      expect(METRICS[name].compute([0, 1], [0.3, 0.7], { weights: [0, 0] }).value).toBeNull();
    }
    expect(METRICS.rmse.compute([], []).value).toBeNull();
    expect(METRICS.f1_macro.compute([], [], { classes: 3 }).value).toBeNull();
  });
  it("constant predictions: auc is ½, ap is the positive rate", () => {
    expect(METRICS.roc_auc.compute([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]).value).toBe(0.5);
    expect(METRICS.average_precision.compute([0, 1, 0, 0], [0.5, 0.5, 0.5, 0.5]).value).toBe(0.25);
  });
  it("r2 follows scikit-learn's force_finite for a constant target and is null below two rows", () => {
    // m.r2_score([2.0,2.0,2.0],[2.0,2.0,2.0]) == 1.0; m.r2_score([2.0,2.0,2.0],[1.0,2.0,2.0]) == 0.0
    expect(METRICS.r2.compute([0.1, 0.1, 0.1], [0.1, 0.1, 0.1]).value).toBe(1);
    expect(METRICS.r2.compute([0.1, 0.1, 0.1], [0, 0.1, 0.1]).value).toBe(0);
    expect(METRICS.r2.compute([3], [2]).value).toBeNull();
  });
  it("log_loss clips certain wrong predictions at float64 eps", () => {
    expect(METRICS.log_loss.compute([1], [0]).value).toBeCloseTo(-Math.log(Number.EPSILON), 9);
  });
  it("directions: lower is better for losses and errors", () => {
    const lower = Object.entries(METRICS)
      .filter(([, d]) => d.direction === "lower")
      .map(([n]) => n);
    expect(lower.sort()).toEqual(["brier", "ece", "fpr", "fpr_at_tpr", "log_loss", "mae", "mape", "rmse"]);
  });
});

describe("eceBin", () => {
  it("uses right-closed bins with exact decimal edges", () => {
    expect([0, 0.05, 0.1, 0.3, 0.31, 0.95, 1, 1.2, -0.1].map((p) => eceBin(p, 10))).toEqual([
      0, 0, 0, 2, 3, 9, 9, 9, 0,
    ]);
  });
});

describe("binary pass over several groups", () => {
  // Many ties, none (rows alone at their score take a shortcut), and a mix of both.
  it.each([
    ["many ties", (r: number) => Math.round(r * 20) / 20],
    ["no ties", (r: number) => r],
    ["some ties", (r: number) => (r < 0.3 ? Math.round(r * 50) / 50 : r)],
  ])("gives each group exactly what its rows alone give (%s)", (_, score) => {
    let seed = 3;
    const rnd = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const n = 400;
    const labels = Array.from({ length: n }, () => (rnd() < 0.4 ? 1 : 0));
    const scores = Array.from({ length: n }, () => score(rnd()));
    const weights = Array.from({ length: n }, () => Math.floor(rnd() * 3));
    const groupOf = new Uint32Array(n).map(() => Math.floor(rnd() * 3));
    const pass = prepareBinaryPass({ labels, scores, groupIds: [groupOf], groups: 3 }, 0.5);
    const out = new Float64Array(3 * pass.tallySize);
    pass.run(Float64Array.from(weights), out);
    for (let g = 0; g < 3; g++) {
      const idx = [...groupOf.keys()].filter((i) => groupOf[i] === g);
      for (const name of Object.keys(BINARY.unweighted!) as MetricName[]) {
        const alone = METRICS[name].compute(
          idx.map((i) => labels[i]!),
          idx.map((i) => scores[i]!),
          { weights: idx.map((i) => weights[i]!) },
        );
        const grouped = METRICS[name].fromTally("binary", out, g * pass.tallySize, 2);
        expectClose(grouped.value, alone.value!);
      }
    }
  });
});
