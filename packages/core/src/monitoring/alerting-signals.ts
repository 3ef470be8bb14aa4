import type { DriftResult } from "../drift/drift-result.js";

/**
 * Everything alerting in a drift-check result, as the model's issue tracks it: drifted columns
 * (and `score` when the score drifted) by name, then each failing check of the other layers as
 * `<layer>: <check>` (e.g. `operations: latency-p99`), so a comment can say what is newly alerting.
 *
 * @example
 * alertingSignals(result); // ["monthly_charges", "operations: error-rate"]
 */
export function alertingSignals(result: DriftResult): string[] {
  const out = result.columns.filter((c) => c.level === "alert").map((c) => c.column);
  if (result.health.scoreDrift?.level === "alert") out.push(result.health.scoreDrift.column);
  for (const c of result.multivariate?.checks ?? [])
    if (c.status === "fail") out.push(`multivariate: ${c.id}`);
  for (const c of result.operations?.checks ?? []) if (c.status === "fail") out.push(`operations: ${c.id}`);
  for (const c of result.prediction?.checks ?? []) if (c.status === "fail") out.push(`prediction: ${c.id}`);
  for (const c of result.kpis?.checks ?? []) if (c.status === "fail") out.push(`kpis: ${c.id}`);
  for (const c of result.segments?.checks ?? []) if (c.status === "fail") out.push(`segments: ${c.column}`);
  return out;
}
