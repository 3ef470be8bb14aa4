import type { GateResult } from "../gate/gate-result.js";
import type { MetricName } from "../manifest/metric-names.js";
import { METRICS } from "../metrics/registry.js";
import { sliceText } from "../report/evaluation-format.js";
import type { EvaluationResult } from "../report/evaluation-result.js";
import type { SiteLink, SiteMetric, SiteSlice, SiteVersion } from "./site-snapshot.js";

/** How many of a version's worst slices the site shows. */
export const WORST_SLICES = 5;

/**
 * A version as the site shows it, from what its release holds: the model card, `evaluation.json`
 * and `gate.json` (each may be missing). Headline metrics are the evaluation's overall metrics in
 * its order; worst slices are the unsuppressed slices ranked on the main metric in its bad
 * direction (lowest first for AUC, highest first for log loss), slices without a value last.
 *
 * @example
 * siteVersion({ version: "1.2.0", released: true, date: null, card: "# churn v1.2.0", evaluation, gate: null, links: [] });
 * // { version: "1.2.0", metrics: [{ name: "roc_auc", value: 0.84, ci: [0.82, 0.86] }, …], slices: [{ slice: "region=AE", … }], … }
 */
export function siteVersion(input: {
  version: string;
  released: boolean;
  date: string | null;
  card: string | null;
  evaluation: EvaluationResult | null;
  gate: GateResult | null;
  links: SiteLink[];
}): SiteVersion {
  const { evaluation, gate } = input;
  // `metrics` lists them in the manifest's order; a result written without it still has `overall`.
  const names = evaluation
    ? (evaluation.metrics ?? (Object.keys(evaluation.overall?.metrics ?? {}) as MetricName[]))
    : [];
  const metrics: SiteMetric[] = names.map((name) => {
    const m = evaluation?.overall?.metrics[name];
    return { name, value: m?.value ?? null, ci: m?.ci ?? null };
  });
  const main = names[0];
  let slices: SiteSlice[] = [];
  if (evaluation && main) {
    const sign = METRICS[main].direction === "higher" ? 1 : -1;
    const deltas = new Map(
      (evaluation.baseline?.slices ?? []).map((s) => [sliceText(s.key), s.delta?.[main]?.value ?? null]),
    );
    slices = (evaluation.slices ?? [])
      .filter((s) => !s.suppressed && typeof s.n === "number")
      .map((s) => {
        const m = s.metrics[main];
        const slice = sliceText(s.key);
        return {
          slice,
          n: s.n as number,
          metric: main,
          value: m?.value ?? null,
          ci: m?.ci ?? null,
          delta: deltas.get(slice) ?? null,
        };
      })
      .sort((a, b) => {
        if (a.value === null || b.value === null) return a.value === null ? (b.value === null ? 0 : 1) : -1;
        return sign * (a.value - b.value);
      })
      .slice(0, WORST_SLICES);
  }
  return {
    version: input.version,
    released: input.released,
    date: input.date,
    card: input.card,
    gate: gate
      ? {
          status: gate.status,
          reasons: [...gate.reasons],
          approvedBy: (gate.approvals?.counted ?? []).map((c) => c.user),
        }
      : null,
    metrics,
    slices,
    links: input.links,
  };
}
