import { standardDeviation } from "../bootstrap/sup-t-intervals.js";
import type { MetricName } from "../manifest/metric-names.js";
import type { Slice } from "../slicing/assign-slices.js";
import { FAIRNESS_CRITERIA, type FairnessCriterion } from "./fairness-criteria.js";
import { type PairwiseDecision, pairwiseDecision, type RateGroups } from "./fairness-decision.js";
import { deltaValue, type FairnessAdjustment, type GapValue, gapValue } from "./fairness-gap-values.js";
import { gapMoments, pickClear } from "./fairness-influence.js";
import type { MetricValue } from "./metric-value.js";
import { ONE_VS_REST_RATES, type OneVsRestRate } from "./one-vs-rest.js";

/** One comparison the gate's `fairness:` rules ask for (see `fairnessRequests`). */
export interface FairnessRequest {
  across: string;
  criterion: string;
  /** The rule's `confidence`: it is judged on an interval adjusted across the report's such rules. */
  confidence?: number;
  /** Multiclass: the class whose one-vs-rest rates are compared, by index and by name. */
  class?: { index: number; name: string };
  /** A `max-gap` rule's limit: the recorded decision is computed for it (see `pairwiseDecision`). */
  maxGap?: number;
}

/**
 * How one metric (or criterion) differs between the groups of one sliced column: `gap` is
 * highest − lowest, `ratio` lowest / highest, each with the percentile interval of the same
 * statistic recomputed on every bootstrap replicate.
 */
export interface FairnessGap {
  /** The sliced column whose groups are compared. */
  across: string;
  /** A metric name, or `demographic_parity` | `equal_opportunity` | `equalized_odds`. */
  criterion: string;
  /** Groups compared (not suppressed, metric defined). */
  groups: string[];
  /** Groups left out, with why: suppressed (too few rows) or the metric undefined there. */
  leftOut: { group: string; why: "suppressed" | "undefined" }[];
  gap: GapValue;
  ratio: GapValue;
  /** Present when a rule on this comparison asks for `confidence`: how `ciAdjusted` was widened. */
  adjustment?: FairnessAdjustment;
  /** Multiclass: the class whose one-vs-rest rates were compared. */
  class?: string;
  /**
   * What decides a `max-gap` rule with confidence: the largest simultaneous lower bound of
   * |p_g − p_h| over the pairs of groups (and rates), at `adjustment.level` (else the report's
   * confidence), max-T over the pairs and rates at the smallest `max-gap` of the rules with
   * confidence on this comparison (0 when none names one), Bonferroni over the report's fairness
   * rules with confidence (see `pairwiseDecision`). Absent when some group's rate has no standard
   * error (no replicates).
   */
  decision?: PairwiseDecision;
}

/** What {@link fairnessGaps} reads of an evaluation in progress. */
export interface FairnessInput {
  slices: readonly Slice[];
  metrics: readonly MetricName[];
  /** The candidate's point value of a metric in group g (0 = all rows, i + 1 = slice i). */
  point(g: number, name: MetricName): MetricValue;
  /** Groups with replicates: every slice that is not suppressed, ascending. */
  active: readonly number[];
  /** The metrics the replicates hold: those the requested criteria compare. */
  drawn: readonly MetricName[];
  /**
   * The candidate's replicate values indexed `(r · active.length + gi) · drawn.length + mi` (as
   * `bootstrapMetrics`), or a function drawing them, called only when a comparison needs them.
   */
  draws: Float64Array | undefined | (() => Float64Array | undefined);
  /**
   * The candidate's first-order variance (Σᵢ ψᵢ², `influenceMoments`) of a metric in group g where
   * its interval is Gaussian, else `undefined`: a comparison of rates with one in every compared
   * group takes the delta method (see {@link fairnessGaps}).
   */
  variance?: (g: number, name: MetricName) => number | undefined;
  replicates: number;
  confidence: number;
  minSize: number;
  /** What to compare: the `fairness:` rules of the gate, as `{ across, criterion, confidence?, class? }`. */
  requested: readonly FairnessRequest[];
  /**
   * Multiclass, for requests naming a class: that class's one-vs-rest rate in group g, and its
   * replicates indexed `(r · active.length + gi) · 3 + ri` over `ONE_VS_REST_RATES`.
   */
  classes?: {
    point(g: number, k: number, rate: OneVsRestRate): MetricValue;
    draws: ReadonlyMap<number, Float64Array>;
  };
}

/** The rates whose gaps may take the delta method: the named criteria's, means of 0/1 outcomes. */
const GAUSSIAN_RATES: ReadonlySet<string> = new Set(Object.values(FAIRNESS_CRITERIA).flat());

/** Highest − lowest and lowest / highest of the defined values (NaN when fewer than two). */
function spread(values: readonly number[]): { gap: number; ratio: number } {
  const defined = values.filter((v) => !Number.isNaN(v));
  if (defined.length < 2) return { gap: Number.NaN, ratio: Number.NaN };
  const low = Math.min(...defined);
  const high = Math.max(...defined);
  return { gap: high - low, ratio: high === 0 ? Number.NaN : low / high };
}

/**
 * The gap and ratio of each requested metric or criterion across the groups of a column sliced
 * alone (requests whose column is not sliced alone, or whose metrics were not computed, are
 * skipped: the gate names what is missing). Suppressed groups are left out (as everywhere, a slice
 * under `min-slice-size` shows no number), and so are groups where the metric is undefined. The
 * interval recomputes the statistic from each replicate's group values (a group undefined in a
 * replicate is left out of that replicate), so it accounts for every group's sampling error at
 * once; a replicate with fewer than two defined groups is undefined, and `percentileInterval`
 * gives no interval when more than `1 − confidence` of them are. A comparison that a rule with
 * `confidence` judges also gets `ciAdjusted`: the same percentile interval at the Bonferroni level
 * over every such rule of the report (`adjustment`), so that the gate's significance decisions on
 * fairness hold together, as the change rules' simultaneous intervals do.
 *
 * Large groups: when every compared group's rate (selection rate, recall, false-positive rate) has
 * a Gaussian interval (`variance`), the gap and the ratio take the delta method instead —
 * value ± z·se cut to [0, 1], se from the highest and lowest groups' influence functions
 * (`gapMoments`) — provided the highest and lowest groups, and for equalized odds the larger gap
 * and the smaller ratio, are `GAP_SEPARATION` standard errors clear of the next; otherwise (near
 * ties, where `max − min` is not smooth) the bootstrap, drawn only then. Recorded as
 * `intervals: "gaussian"`.
 *
 * @example
 * fairnessGaps({ slices, metrics: ["recall", "fpr"], point, active, draws, replicates: 1000, confidence: 0.95,
 *   minSize: 30, requested: [{ across: "region", criterion: "equalized_odds" }] });
 * // [{ across: "region", criterion: "equalized_odds", groups: ["AE", "SA"], leftOut: [],
 * //    gap: { value: 0.08, ci: [0.02, 0.15] }, ratio: { value: 0.9, ci: [0.81, 0.97] } }]
 */
export function fairnessGaps(input: FairnessInput): FairnessGap[] {
  const { slices, metrics, active, replicates } = input;
  let lazy = input.draws;
  const candidateDraws = (): Float64Array | undefined => {
    if (typeof lazy === "function") lazy = lazy();
    return lazy;
  };
  const position = new Map(active.map((g, gi) => [g, gi]));
  const columns = new Map<string, number[]>();
  slices.forEach((slice, i) => {
    const keys = Object.keys(slice.key);
    if (keys.length !== 1) return;
    const list = columns.get(keys[0]!) ?? [];
    list.push(i + 1);
    columns.set(keys[0]!, list);
  });
  const out: FairnessGap[] = [];
  const seen = new Set<string>();
  const family = input.requested.filter((r) => r.confidence !== undefined).length;
  for (const request of input.requested) {
    const { across, criterion } = request;
    const groups = columns.get(across);
    const parts: readonly string[] =
      criterion in FAIRNESS_CRITERIA ? FAIRNESS_CRITERIA[criterion as FairnessCriterion] : [criterion];
    const k = request.class?.index;
    const byClass = k === undefined ? undefined : input.classes;
    // A column not sliced alone, or a metric not computed: the gate says which, from the file.
    if (!groups) continue;
    if (k === undefined && !parts.every((m) => metrics.includes(m as MetricName))) continue;
    if (
      k !== undefined &&
      (!byClass || !parts.every((m) => (ONE_VS_REST_RATES as readonly string[]).includes(m)))
    ) {
      continue;
    }
    const key = `${across}\n${criterion}\n${k ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const nameOf = (g: number) => slices[g - 1]!.key[across]!;
    // A metric's value in group g, and in replicate r: the candidate's, or class k's one-vs-rest rate.
    const valueAt = (g: number, name: string): MetricValue =>
      byClass ? byClass.point(g, k!, name as OneVsRestRate) : input.point(g, name as MetricName);
    const replicateAt = (name: string): ((r: number, g: number) => number) => {
      if (byClass) {
        const classDraws = byClass.draws.get(k!);
        const ri = ONE_VS_REST_RATES.indexOf(name as OneVsRestRate);
        return (r, g) => classDraws![(r * active.length + position.get(g)!) * ONE_VS_REST_RATES.length + ri]!;
      }
      const mi = input.drawn.indexOf(name as MetricName);
      const draws = candidateDraws()!;
      return (r, g) => draws[(r * active.length + position.get(g)!) * input.drawn.length + mi]!;
    };
    // One metric's groups: those compared at the point, and its spread in replicate r.
    const study = (name: string) => {
      const compared: number[] = [];
      const leftOut: FairnessGap["leftOut"] = [];
      for (const g of groups) {
        if (slices[g - 1]!.n < input.minSize) leftOut.push({ group: nameOf(g), why: "suppressed" });
        else if (valueAt(g, name).value === null) leftOut.push({ group: nameOf(g), why: "undefined" });
        else compared.push(g);
      }
      const point = spread(compared.map((g) => valueAt(g, name).value ?? Number.NaN));
      const replicate = (r: number) => {
        const at = replicateAt(name);
        return spread(compared.map((g) => at(r, g)));
      };
      // Large groups: each compared group's rate with its variance, when every one has a Gaussian interval.
      const variances = compared.map((g) =>
        byClass || !GAUSSIAN_RATES.has(name) ? undefined : input.variance?.(g, name as MetricName),
      );
      const moments = variances.every((v) => v !== undefined)
        ? gapMoments(compared.map((g, i) => ({ value: valueAt(g, name).value!, variance: variances[i]! })))
        : undefined;
      // Each group's rate with its standard error: from its variance, else from its replicates.
      const rateGroups = (): RateGroups | undefined => {
        // The replicates are drawn only when some group has no variance.
        const haveDraws = () =>
          replicates > 0 && (byClass ? byClass.draws.has(k!) : candidateDraws() !== undefined);
        const out: RateGroups = { rate: name, groups: [] };
        for (const [a, g] of compared.entries()) {
          let se = variances[a] === undefined ? undefined : Math.sqrt(variances[a]!);
          if (se === undefined && haveDraws()) {
            const at = replicateAt(name);
            const sd = standardDeviation(Float64Array.from({ length: replicates }, (_, r) => at(r, g)));
            if (!Number.isNaN(sd)) se = sd;
          }
          if (se === undefined) return undefined;
          out.groups.push({ group: nameOf(g), value: valueAt(g, name).value!, se });
        }
        return out;
      };
      return { compared, leftOut, point, replicate, moments, rateGroups };
    };
    const studied = parts.map((m) => study(m));
    const gaussian =
      replicates > 0 && studied.every((p) => p.moments)
        ? {
            gap: pickClear(
              studied.map((p) => p.moments!.gap),
              "larger",
            ),
            ratio: pickClear(
              studied.map((p) => p.moments!.ratio),
              "smaller",
            ),
          }
        : undefined;
    // Equalized odds: the larger gap and the smaller ratio of its two rates, here and per replicate.
    const combine = (v: { gap: number; ratio: number }[]) => ({
      gap: Math.max(...v.map((x) => x.gap)),
      ratio: Math.min(...v.map((x) => x.ratio)),
    });
    const point = combine(studied.map((p) => p.point));
    const gaps = new Float64Array(replicates);
    const ratios = new Float64Array(replicates);
    const delta = gaussian?.gap && gaussian.ratio ? { gap: gaussian.gap, ratio: gaussian.ratio } : undefined;
    const drawn = delta ? undefined : byClass ? byClass.draws.get(k!) : candidateDraws();
    if (drawn) {
      for (let r = 0; r < replicates; r++) {
        const v = combine(studied.map((p) => p.replicate(r)));
        gaps[r] = v.gap;
        ratios[r] = v.ratio;
      }
    }
    const leftOut = [
      ...new Map(studied.flatMap((p) => p.leftOut).map((l) => [`${l.group}\n${l.why}`, l])).values(),
    ];
    const compared = studied[0]!.compared.filter((g) => studied.every((p) => p.compared.includes(g)));
    const few = `fewer than two ${across} groups to compare`;
    const judged = input.requested.filter(
      (r) =>
        r.across === across &&
        r.criterion === criterion &&
        r.class?.index === k &&
        r.confidence !== undefined,
    );
    const levels = judged.map((r) => r.confidence!);
    const limits = judged.flatMap((r) => (r.maxGap === undefined ? [] : [r.maxGap]));
    const adjustment: FairnessAdjustment | undefined =
      levels.length === 0
        ? undefined
        : {
            method: "bonferroni",
            level: Math.max(...levels),
            family,
            perInterval: 1 - (1 - Math.max(...levels)) / family,
          };
    const entry: FairnessGap = {
      across,
      criterion,
      groups: compared.map(nameOf),
      leftOut,
      gap: delta
        ? deltaValue(delta.gap, input.confidence, adjustment)
        : gapValue(point.gap, gaps, input, few, adjustment, drawn !== undefined),
      ratio: delta
        ? deltaValue(delta.ratio, input.confidence, adjustment)
        : gapValue(
            point.ratio,
            ratios,
            input,
            Number.isNaN(point.gap) ? few : "the highest value is 0",
            adjustment,
            drawn !== undefined,
          ),
    };
    if (adjustment) entry.adjustment = adjustment;
    // The max-gap decision, pair by pair (see pairwiseDecision): at the rule's level and smallest
    // limit, max-T over its pairs and rates, Bonferroni over the report's such rules.
    if (entry.gap.value !== null && replicates > 0) {
      const all = studied.map((p) => p.rateGroups());
      const decision = all.every((p) => p !== undefined)
        ? pairwiseDecision(
            all as RateGroups[],
            adjustment?.level ?? input.confidence,
            adjustment?.family ?? 1,
            limits.length > 0 ? Math.min(...limits) : 0,
          )
        : undefined;
      if (decision) entry.decision = decision;
    }
    if (request.class) entry.class = request.class.name;
    out.push(entry);
  }
  return out;
}

/**
 * The computed metrics that the requested criteria compare, each once: what the fairness
 * replicates must hold.
 *
 * @example
 * fairnessMetrics([{ across: "region", criterion: "equalized_odds" }], ["roc_auc", "recall", "fpr"]); // ["recall", "fpr"]
 */
export function fairnessMetrics(
  requested: readonly Pick<FairnessRequest, "criterion">[],
  metrics: readonly MetricName[],
): MetricName[] {
  const wanted = new Set<string>(
    requested.flatMap(({ criterion }) =>
      criterion in FAIRNESS_CRITERIA ? FAIRNESS_CRITERIA[criterion as FairnessCriterion] : [criterion],
    ),
  );
  return metrics.filter((m) => wanted.has(m));
}
