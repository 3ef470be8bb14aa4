import { describe, expect, it } from "vitest";
import type { MetricName } from "../manifest/metric-names.js";
import type { RowPass } from "../metrics/binary-pass.js";
import { prepareBinaryPass } from "../metrics/prepare-binary-pass.js";
import { type BootstrapInput, bootstrapMetrics } from "./bootstrap-metrics.js";
import type { IntervalRoutes } from "./interval-routes.js";
import { type ReplicateDrawsInput, replicateDraws } from "./replicate-draws.js";
import { rowIdHash } from "./row-hash.js";

/**
 * 3,000 rows on a 0.02-wide score grid (ties, some at the threshold), two models, overall (group 0)
 * and a region grouping (groups 1–3); rows of region 3 with odd index also in nothing bootstrapped.
 */
function rows(n: number, weighted: boolean) {
  let s = 11;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const labels = Float64Array.from({ length: n }, () => (rnd() < 0.3 ? 1 : 0));
  const grid = (y: number) => 0.49 + Math.round((rnd() * 0.02 + 0.004 * y) * 500) / 500;
  const scores = [labels.map(grid), labels.map(grid)];
  const groupIds = [new Uint8Array(n), Uint8Array.from({ length: n }, (_, i) => 1 + (i % 3))];
  const weights = weighted ? Float64Array.from({ length: n }, (_, i) => 1 + (i % 4)) : undefined;
  const rowIds = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`r-${i}`));
  return { labels, scores, groupIds, weights, rowIds, groups: 4 };
}

const METRIC_LIST: MetricName[] = ["roc_auc", "precision", "log_loss", "f1"];

/**
 * Overall all Gaussian; region 1 bootstraps only precision and F1 (a count group); region 2
 * bootstraps ROC AUC and precision (a score group); region 3 all Gaussian.
 */
function routes(): IntervalRoutes {
  const gaussian = new Uint8Array(4 * METRIC_LIST.length).fill(1);
  const boot = (g: number, name: MetricName) => {
    gaussian[g * METRIC_LIST.length + METRIC_LIST.indexOf(name)] = 0;
  };
  boot(1, "precision");
  boot(1, "f1");
  boot(2, "roc_auc");
  boot(2, "precision");
  return {
    gaussian,
    gaussianGroups: [0, 1, 2, 3],
    gaussianMetrics: METRIC_LIST,
    bootstrapGroups: [1, 2],
    bootstrapMetrics: ["roc_auc", "precision", "f1"],
  };
}

describe("replicateDraws", () => {
  for (const weighted of [false, true]) {
    it(`gives every bootstrapped metric the replicates of the full passes over every row${weighted ? " (integer sample weights)" : ""}, bit for bit, on a count pass and a score walk of the fewest rows`, () => {
      const r = rows(3000, weighted);
      const prepare = (scores: Float64Array, on: { labels: Float64Array; groupIds: ArrayLike<number>[] }) =>
        prepareBinaryPass(
          {
            ...on,
            groupIds: on.groupIds as Uint8Array[],
            scores,
            groups: r.groups,
            ...(weighted ? { weights: r.weights! } : {}),
          },
          0.5,
        );
      const passes = r.scores.map((s) => prepare(s, r));
      const calls: BootstrapInput[] = [];
      const input: ReplicateDrawsInput = {
        task: "binary",
        classes: 2,
        passes,
        prepare,
        labels: r.labels,
        scores: r.scores,
        weights: r.weights,
        rowIds: r.rowIds,
        groupIds: r.groupIds,
        groups: r.groups,
        threshold: 0.5,
        binary: true,
        active: [0, 1, 2, 3],
        routes: routes(),
        metrics: METRIC_LIST,
        seed: 9,
        replicates: 40,
        run: (b) => {
          calls.push(b);
          return bootstrapMetrics(b);
        },
      };
      const { draws, full } = replicateDraws(input);
      // The plain definition: every drawn metric of both groups on the full passes over every row.
      const drawn: MetricName[] = ["roc_auc", "precision", "f1"];
      const reference = bootstrapMetrics({
        task: "binary",
        passes,
        metrics: drawn,
        groups: [1, 2],
        rowHashes: r.rowIds,
        ...(r.weights ? { weights: r.weights } : {}),
        seed: 9,
        from: 0,
        to: 40,
      });
      const bootstrapped = (g: number, name: MetricName) =>
        routes().gaussian[g * METRIC_LIST.length + METRIC_LIST.indexOf(name)] === 0;
      for (let m = 0; m < 2; m++)
        for (let rep = 0; rep < 40; rep++)
          [1, 2].forEach((g, gi) => {
            drawn.forEach((name, di) => {
              const at = (rep * 2 + gi) * drawn.length + di;
              if (bootstrapped(g, name))
                expect(draws[m]![at], `model ${m} r ${rep} g ${g} ${name}`).toBe(reference[m]![at]);
              // The count group has no ROC AUC to give.
              else if (g === 1) expect(draws[m]![at]).toBeNaN();
            });
          });
      // Two runs, each on its own groups' rows only: the score walk over region 2's 1,000 rows, the
      // count pass over region 1's 1,000 rows (both with shared arrays a worker can rebuild).
      expect(calls.map((c) => [c.groups, c.metrics, c.rowHashes.length])).toEqual([
        [[2], drawn, 1000],
        [[1], ["precision", "f1"], 1000],
      ]);
      expect(calls.map((c) => c.passes.map((p: RowPass) => p.data?.kind))).toEqual([
        ["binary", "binary"],
        ["count", "count"],
      ]);
      expect(full).toBe(false);
    });
  }

  it("returns evaluate's own passes' replicates, marked full, when one group needs every row", () => {
    const r = rows(600, false);
    const passes = r.scores.map((s) => prepareBinaryPass({ ...r, scores: s }, 0.5));
    const only = routes();
    only.gaussian.fill(0);
    only.bootstrapGroups = [0, 1, 2, 3];
    only.bootstrapMetrics = METRIC_LIST;
    let seen: readonly RowPass[] = [];
    const { draws, full } = replicateDraws({
      task: "binary",
      classes: 2,
      passes,
      prepare: () => {
        throw new Error("no other pass is needed");
      },
      labels: r.labels,
      scores: r.scores,
      rowIds: r.rowIds,
      groupIds: r.groupIds,
      groups: r.groups,
      threshold: 0.5,
      binary: true,
      active: [0, 1, 2, 3],
      routes: only,
      metrics: METRIC_LIST,
      seed: 3,
      replicates: 5,
      run: (b) => {
        seen = b.passes;
        return bootstrapMetrics(b);
      },
    });
    expect(seen).toBe(passes);
    expect(full).toBe(true);
    expect(draws[0]!.length).toBe(5 * 4 * METRIC_LIST.length);
  });
});
