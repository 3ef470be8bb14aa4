import type { EvaluationTimings } from "./evaluation-result.js";

/**
 * Where an evaluation's time went, for the log; the bootstrap is part of the metrics' time and is
 * shown apart from it.
 *
 * @example
 * evaluationTimingLine("churn", { readMs: 1310, scoreMs: 2150, metricsMs: 900, bootstrapMs: 600 });
 * // "churn: read 1.31 s, score 2.15 s, metrics 0.30 s, bootstrap 0.60 s"
 */
export function evaluationTimingLine(model: string, t: Omit<EvaluationTimings, "renderMs">): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const metrics = `metrics ${s(t.metricsMs - t.bootstrapMs)}, bootstrap ${s(t.bootstrapMs)}`;
  return `${model}: read ${s(t.readMs)}, score ${s(t.scoreMs)}, ${metrics}`;
}
