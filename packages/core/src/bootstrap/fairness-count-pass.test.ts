import { describe, expect, it } from "vitest";
import type { FairnessRequest } from "../metrics/fairness-gaps.js";
import { prepareBinaryPass } from "../metrics/prepare-binary-pass.js";
import { createRng } from "../random/rng.js";
import { type BootstrapInput, bootstrapMetrics } from "./bootstrap-metrics.js";
import { type EvaluateInput, evaluate } from "./evaluate.js";
import { rowIdHash } from "./row-hash.js";

const REGIONS = ["AE", "SA", "EG"];

/**
 * 12,000 rows in 3 regions drawn independently of label and score (every true gap 0, so the gaps
 * are near ties and stay on the bootstrap), each region over 1,000 positives and negatives (its
 * rates are Gaussian, so the gaps draw replicates of their own); a second sliced column, band,
 * that no rule compares (the count pass leaves its groups and the overall group uncounted).
 * 200 replicates, seed 3.
 */
function nearTies(weighted: boolean) {
  const n = 12_000;
  const g = createRng(5);
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  const region: string[] = [];
  const band: string[] = [];
  for (let i = 0; i < n; i++) {
    const y = g.next() < 0.3 ? 1 : 0;
    labels[i] = y;
    scores[i] = 1 / (1 + Math.exp(-(g.normal() + 1.2 * y - 1.2)));
    region.push(REGIONS[Math.floor(g.next() * 3)]!);
    band.push(g.next() < 0.5 ? "low" : "high");
  }
  return {
    task: "binary" as const,
    labels,
    scores,
    rowIds: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`t-${i}`)),
    sliceColumns: new Map([
      ["region", { kind: "category" as const, values: region, nulls: new Uint8Array(n) }],
      ["band", { kind: "category" as const, values: band, nulls: new Uint8Array(n) }],
    ]),
    specs: ["region", "band"],
    threshold: 0.5,
    metrics: ["roc_auc", "recall", "fpr", "selection_rate"] as EvaluateInput["metrics"],
    minSliceSize: 30,
    bootstrap: 200,
    seed: 3,
    ...(weighted ? { weights: Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 7) * 0.37) } : {}),
  } satisfies EvaluateInput;
}

const RULES: FairnessRequest[] = [
  { across: "region", criterion: "equalized_odds" },
  { across: "region", criterion: "demographic_parity" },
  { across: "region", criterion: "equal_opportunity" },
];

/**
 * A replicate runner that records the kind of pass each run walks; with `scoreWalk`, a count pass
 * is swapped for the score walk over the same rows and groups (the route before the count pass).
 */
function recording(input: ReturnType<typeof nearTies>, scoreWalk: boolean) {
  const kinds: string[] = [];
  const counted: number[][] = [];
  const run = (args: BootstrapInput): Float64Array[] => {
    const data = args.passes[0]!.data!;
    kinds.push(data.kind);
    if (data.kind === "count") counted.push([...data.counted].flatMap((c, g) => (c === 1 ? [g] : [])));
    if (!scoreWalk || args.passes[0]!.data!.kind !== "count") return bootstrapMetrics(args);
    // evaluate's groups: 0 every row, then the slices in the order evaluate reports them.
    const order = evaluate({ ...input, bootstrap: 0 }).slices.map((s) => s.key);
    const n = input.labels.length;
    const groupIds = [
      new Uint8Array(n),
      ...input.specs.map((column) => {
        const values = input.sliceColumns.get(column)!.values;
        return Uint8Array.from(
          { length: n },
          (_, i) => 1 + order.findIndex((key) => key[column] !== undefined && key[column] === values[i]),
        );
      }),
    ];
    const pass = prepareBinaryPass(
      {
        labels: input.labels,
        scores: input.scores,
        groupIds,
        groups: 1 + order.length,
        ...("weights" in input ? { weights: input.weights } : {}),
      },
      input.threshold,
    );
    return bootstrapMetrics({ ...args, passes: [pass] });
  };
  return { kinds, counted, run };
}

describe("fairness gaps' own replicates", () => {
  for (const weighted of [false, true]) {
    it(`run on a count pass when the compared rates read only confusion counts, with the score walk's intervals ${weighted ? "within 1e-12 (non-integer sample weights)" : "bit for bit"}`, () => {
      const input = nearTies(weighted);
      const counted = recording(input, false);
      const walked = recording(input, true);
      const viaCounts = evaluate({ ...input, fairness: RULES, runReplicates: counted.run });
      const viaWalk = evaluate({ ...input, fairness: RULES, runReplicates: walked.run });
      // Two runs: the evaluation's own (ROC AUC, bootstrapped in regions under 2,000 positives, on
      // the score walk), then the gaps' (every rate Gaussian, the gaps near ties).
      expect(counted.kinds).toEqual(["binary", "count"]);
      expect(walked.kinds).toEqual(["binary", "count"]);
      // Only the region slices are counted: not the overall group, not band's.
      const regions = viaCounts.slices.flatMap((s, i) => (s.key.region !== undefined ? [i + 1] : []));
      expect(regions).toHaveLength(3);
      expect(counted.counted).toEqual([regions]);
      expect(viaCounts.fairness).toHaveLength(3);
      for (const [i, f] of viaCounts.fairness!.entries()) {
        const w = viaWalk.fairness![i]!;
        expect(f.gap.intervals).toBeUndefined();
        expect(f.gap.ci).not.toBeNull();
        for (const key of ["gap", "ratio"] as const) {
          expect(f[key].value).toBe(w[key].value);
          if (weighted) {
            for (const k of [0, 1])
              expect(Math.abs(f[key].ci![k]! - w[key].ci![k]!)).toBeLessThanOrEqual(1e-12);
          } else expect(f[key].ci).toEqual(w[key].ci);
        }
      }
      if (!weighted) expect(viaCounts.fairness).toEqual(viaWalk.fairness);
    });
  }

  it("stay on the score walk when a compared metric needs the scores (a rule on roc_auc)", () => {
    const input = nearTies(false);
    const { kinds, run } = recording(input, false);
    evaluate({
      ...input,
      fairness: [...RULES, { across: "region", criterion: "roc_auc" }],
      runReplicates: run,
    });
    expect(kinds).toEqual(["binary", "binary"]);
  });
});
