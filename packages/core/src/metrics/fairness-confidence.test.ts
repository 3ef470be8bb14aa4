import { describe, expect, it } from "vitest";
import { evaluate } from "../bootstrap/evaluate.js";
import { rowIdHash } from "../bootstrap/row-hash.js";
import type { MetricName } from "../manifest/metric-names.js";
import type { Column } from "../table/column.js";
import type { FairnessRequest } from "./fairness-gaps.js";

// The adjusted intervals of fairness rules with `confidence`: 600 seeded rows in three regions
// whose selection rates, recall and FPR differ, bootstrapped with one seed, so runs that differ only
// in the level read the same replicates.
const n = 600;
let state = 5;
const rnd = () => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 2 ** 32;
};
const region = Array.from({ length: n }, (_, i) => ["AE", "SA", "EG"][i % 3]!);
const labels = Float64Array.from({ length: n }, () => (rnd() < 0.4 ? 1 : 0));
const scores = labels.map((y, i) => Math.min(1, 0.3 * y + (i % 3) * 0.08 + rnd() * 0.55));

function run(
  requests: FairnessRequest[],
  confidence?: number,
  metrics: MetricName[] = ["selection_rate", "recall", "fpr"],
  bootstrap = 400,
) {
  return evaluate({
    task: "binary",
    labels,
    scores,
    rowIds: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`r-${i}`)),
    sliceColumns: new Map<string, Column>([
      ["region", { kind: "category", values: region, nulls: new Uint8Array(n) }],
    ]),
    specs: ["region"],
    metrics,
    minSliceSize: 30,
    bootstrap,
    seed: 3,
    ...(confidence === undefined ? {} : { confidence }),
    fairness: requests,
  }).fairness!;
}

const find = (gaps: ReturnType<typeof run>, criterion: string) =>
  gaps.find((g) => g.criterion === criterion)!;

describe("fairness gaps of rules with confidence", () => {
  it("add the Bonferroni interval over those rules: the percentile interval at 1 − (1 − level) / family", () => {
    const requests: FairnessRequest[] = [
      { across: "region", criterion: "demographic_parity", confidence: 0.95 },
      { across: "region", criterion: "equalized_odds", confidence: 0.9 },
      { across: "region", criterion: "equal_opportunity" },
    ];
    const adjusted = run(requests);
    const plain = (level: number) =>
      run(
        requests.map(({ across, criterion }) => ({ across, criterion })),
        level,
      );
    const parity = find(adjusted, "demographic_parity");
    expect(parity.adjustment).toEqual({ method: "bonferroni", level: 0.95, family: 2, perInterval: 0.975 });
    // The same replicates read at 97.5%: a run recording its intervals at that level.
    expect(parity.gap.ciAdjusted).toEqual(find(plain(0.975), "demographic_parity").gap.ci);
    expect(parity.ratio.ciAdjusted).toEqual(find(plain(0.975), "demographic_parity").ratio.ci);
    // `ci` stays at the evaluation's level.
    expect(parity.gap.ci).toEqual(find(plain(0.95), "demographic_parity").gap.ci);
    const odds = find(adjusted, "equalized_odds");
    expect(odds.adjustment).toEqual({ method: "bonferroni", level: 0.9, family: 2, perInterval: 0.95 });
    expect(odds.gap.ciAdjusted).toEqual(find(plain(0.95), "equalized_odds").gap.ci);
    // Wider than the per-comparison interval at the same level, and containing the point.
    const [low, high] = parity.gap.ciAdjusted!;
    expect(low).toBeLessThanOrEqual(parity.gap.ci![0]);
    expect(high).toBeGreaterThanOrEqual(parity.gap.ci![1]);
    expect(high - low).toBeGreaterThan(parity.gap.ci![1] - parity.gap.ci![0]);
    expect(low).toBeLessThanOrEqual(parity.gap.value!);
    expect(high).toBeGreaterThanOrEqual(parity.gap.value!);
    // A comparison no rule with confidence judges carries no adjusted interval.
    const recall = find(adjusted, "equal_opportunity");
    expect(recall.adjustment).toBeUndefined();
    expect(recall.gap).not.toHaveProperty("ciAdjusted");
  });

  it("take the highest level asked of one comparison, and the family counts every rule with confidence", () => {
    const gaps = run([
      { across: "region", criterion: "demographic_parity", confidence: 0.9 },
      { across: "region", criterion: "demographic_parity", confidence: 0.99 },
    ]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.adjustment).toEqual({ method: "bonferroni", level: 0.99, family: 2, perInterval: 0.995 });
  });

  it("record an adjusted interval of null without replicates, so the gate can say why", () => {
    const requests: FairnessRequest[] = [
      { across: "region", criterion: "demographic_parity", confidence: 0.95 },
    ];
    const gaps = run(requests, undefined, ["selection_rate"], 0);
    expect(gaps[0]!.gap).toMatchObject({ ci: null, ciAdjusted: null });
    expect(gaps[0]!.adjustment?.family).toBe(1);
  });
});
