/**
 * The overall metric values of a released `evaluation.json` (`overall.metrics.<name>.value`),
 * read defensively: it is a release asset, untrusted; anything that is not a finite number is
 * left out.
 *
 * @example
 * releasedMetrics({ overall: { metrics: { roc_auc: { value: 0.81, ci: [0.79, 0.83] } } } }); // { roc_auc: 0.81 }
 * releasedMetrics("not an evaluation"); // {}
 */
export function releasedMetrics(evaluation: unknown): Record<string, number> {
  const metrics = (evaluation as { overall?: { metrics?: unknown } } | null)?.overall?.metrics;
  if (typeof metrics !== "object" || metrics === null) return {};
  const out: Record<string, number> = {};
  for (const [name, metric] of Object.entries(metrics)) {
    const value = (metric as { value?: unknown } | null)?.value;
    if (typeof value === "number" && Number.isFinite(value)) out[name] = value;
  }
  return out;
}
