import { describe, expect, it } from "vitest";
import type { MetricName } from "../manifest/metric-names.js";
import { BINARY_TALLY, BINARY_TALLY_SIZE, type RowPass } from "../metrics/binary-pass.js";
import { prepareCountPass } from "../metrics/count-pass.js";
import { prepareBinaryPass } from "../metrics/prepare-binary-pass.js";
import { type BootstrapInput, bootstrapMetrics } from "./bootstrap-metrics.js";
import type { IntervalRoutes } from "./interval-routes.js";
import { fillPoissonWeights, seedMixedHashes } from "./poisson-weight.js";
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

/** The rows of `rows()` or `sparse()` as `replicateDraws` takes them, threshold 0.5. */
function binaryRows(r: ReturnType<typeof rows>) {
  const { labels, scores, weights, rowIds, groupIds, groups } = r;
  return { labels, scores, weights, rowIds, groupIds, groups, threshold: 0.5, binary: true };
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
        ...binaryRows(r),
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
      // count pass over region 1's rows that are not true negatives for both models (precision and
      // F1 need no TN count; both with shared arrays a worker can rebuild).
      const notNegative = r.labels.filter(
        (y, i) => i % 3 === 0 && (y === 1 || r.scores.some((s) => s[i]! >= 0.5)),
      ).length;
      expect(notNegative).toBeLessThan(1000);
      expect(calls.map((c) => [c.groups, c.metrics, c.rowHashes.length])).toEqual([
        [[2], drawn, 1000],
        [[1], ["precision", "f1"], notNegative],
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

/** The bytes of a draws array (`NaN`s and signed zeros compared exactly). */
const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe("replicateDraws without the rows that are true negatives for both models", () => {
  /**
   * 300 rows, one grouping: group 0 (rows 0–199) has one positive row (row 7, predicted positive
   * by the candidate only) among true negatives; group 1 (rows 200–299) is mixed. Fractional
   * sample weights when `weighted`.
   */
  function sparse(weighted: boolean) {
    const n = 300;
    const labels = Float64Array.from({ length: n }, (_, i) => (i === 7 || (i >= 200 && i % 4 === 0) ? 1 : 0));
    const score = (shift: number) =>
      Float64Array.from({ length: n }, (_, i) =>
        i === 7 ? 0.9 - shift : i >= 200 ? ((i * 37) % 100) / 100 : 0.1,
      );
    const scores = [score(0), score(0.5)];
    const groupIds = [Uint8Array.from({ length: n }, (_, i) => (i < 200 ? 0 : 1))];
    const weights = weighted ? Float64Array.from({ length: n }, (_, i) => 0.1 * (1 + (i % 7))) : undefined;
    const rowIds = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`s-${i}`));
    return { labels, scores, groupIds, weights, rowIds, groups: 2 };
  }

  /** Routes bootstrapping `read` (of `list`) in `group` alone, every other entry Gaussian. */
  const boot = (list: MetricName[], read: MetricName[], group: number): IntervalRoutes => {
    const gaussian = new Uint8Array(2 * list.length).fill(1);
    for (const name of read) gaussian[group * list.length + list.indexOf(name)] = 0;
    return {
      gaussian,
      gaussianGroups: [0, 1],
      gaussianMetrics: list,
      bootstrapGroups: [group],
      bootstrapMetrics: read,
    };
  };

  /** `replicateDraws` of `read` in `group`, each run it makes, and the full passes' replicates. */
  function run(r: ReturnType<typeof sparse>, list: MetricName[], read: MetricName[], group: number) {
    const passes = r.scores.map((s) =>
      prepareBinaryPass({ ...r, scores: s, ...(r.weights ? { weights: r.weights } : {}) }, 0.5),
    );
    const calls: { rows: number; draws: Float64Array[] }[] = [];
    const { draws } = replicateDraws({
      task: "binary",
      classes: 2,
      passes,
      prepare: () => {
        throw new Error("a count group needs no score walk");
      },
      ...binaryRows(r),
      active: [0, 1],
      routes: boot(list, read, group),
      metrics: list,
      seed: 5,
      replicates: 60,
      run: (b) => {
        const out = bootstrapMetrics(b);
        calls.push({ rows: b.rowHashes.length, draws: out });
        return out;
      },
    });
    const reference = bootstrapMetrics({
      task: "binary",
      passes,
      metrics: read,
      groups: [group],
      rowHashes: r.rowIds,
      ...(r.weights ? { weights: r.weights } : {}),
      seed: 5,
      from: 0,
      to: 60,
    });
    for (let m = 0; m < 2; m++) expect(bytes(draws[m]!), `model ${m}`).toEqual(bytes(reference[m]!));
    return { calls, reference };
  }

  for (const weighted of [false, true]) {
    it(`counts TP, FP and positives bit for bit as the full count pass, and goes back to every row when a replicate has no positive or predicted positive row${weighted ? " (fractional sample weights)" : ""}`, () => {
      const r = sparse(weighted);
      // The tallies themselves: a count pass over the rows that are not true negatives for both
      // models sums the same TP, FP and positives as one over every row, for every replicate's weights.
      const keep = [...r.labels.keys()].filter(
        (i) => r.labels[i] === 1 || r.scores.some((s) => s[i]! >= 0.5),
      );
      const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]!);
      const subsetIds = [Uint8Array.from(keep, (i) => r.groupIds[0]![i]!)];
      for (let m = 0; m < 2; m++) {
        const full = prepareCountPass({ ...r, scores: r.scores[m]! }, 0.5);
        const part = prepareCountPass(
          { labels: pick(r.labels), scores: pick(r.scores[m]!), groupIds: subsetIds, groups: 2 },
          0.5,
        );
        const mixed = seedMixedHashes(r.rowIds, 5);
        const w = new Float64Array(r.labels.length);
        const a = new Float64Array(full.tallySize * 2);
        const b = new Float64Array(part.tallySize * 2);
        for (let rep = 0; rep < 20; rep++) {
          fillPoissonWeights(mixed, 5, rep, w, true);
          if (r.weights) for (let i = 0; i < w.length; i++) w[i]! *= r.weights[i]!;
          full.run(w, a);
          part.run(pick(w), b);
          for (let g = 0; g < 2; g++)
            for (const field of [BINARY_TALLY.POS, BINARY_TALLY.TP, BINARY_TALLY.FP])
              expect(Object.is(b[g * BINARY_TALLY_SIZE + field], a[g * BINARY_TALLY_SIZE + field])).toBe(
                true,
              );
        }
      }
      const { calls, reference } = run(r, ["precision", "roc_auc", "f1"], ["precision", "f1"], 0);
      // Group 0 keeps only row 7 (the others are true negatives for both models); in replicates
      // where its weight is 0 the full pass has TN rows and so precision 0 (no predicted
      // positives), not NaN (no rows): the first run's NaN there sends it back to every row.
      expect(calls.map((c) => c.rows)).toEqual([1, 200]);
      const zeroed = [...reference[0]!.keys()].filter(
        (at) => reference[0]![at] === 0 && Number.isNaN(calls[0]!.draws[0]![at]!),
      );
      expect(zeroed.length).toBeGreaterThan(0);
    });
  }

  it("skips true negatives when no replicate leaves a group without TP, FP and FN, and keeps them for metrics that read TN", () => {
    const r = sparse(false);
    // Group 1 alone (group 0 Gaussian): its 100 rows minus those negative for both models.
    const list: MetricName[] = ["precision", "recall", "accuracy"];
    const negatives = [...r.labels.keys()].filter(
      (i) => i >= 200 && r.labels[i] !== 1 && r.scores.every((s) => s[i]! < 0.5),
    ).length;
    expect(negatives).toBeGreaterThan(0);
    const rows = (read: MetricName[]) => run(r, list, read, 1).calls.map((c) => c.rows);
    expect(rows(["precision", "recall"])).toEqual([100 - negatives]);
    // Accuracy reads the TN count: every row of the group.
    expect(rows(["precision", "accuracy"])).toEqual([100]);
  });
});
