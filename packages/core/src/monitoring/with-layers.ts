import { worstLevel } from "../drift/drift-level.js";
import type { DriftResult } from "../drift/drift-result.js";
import { worstStatus } from "../results/check.js";
import type { KpiHealth } from "./kpi-checks.js";
import type { OperationalHealth } from "./operational-health.js";
import type { PredictionAlerts } from "./prediction-alerts.js";
import type { MultivariateDrift } from "./reconstruction-drift.js";
import type { SegmentHealth } from "./segment-health.js";

/** The monitoring layers drift-check adds to drift, each with its checks and level. */
export interface MonitoringLayers {
  operations?: OperationalHealth | undefined;
  prediction?: PredictionAlerts | undefined;
  kpis?: KpiHealth | undefined;
  segments?: SegmentHealth | undefined;
  multivariate?: MultivariateDrift | undefined;
}

/**
 * A drift result with the other monitoring layers added: their checks join the result's, an
 * alerting layer raises the level (a period without usable rows stays `no data`), and the verdict
 * leads with each alerting layer's failing checks, then the drift findings.
 *
 * @example
 * withLayers(result, { operations }).verdict;
 * // "alert: operations alert (latency-p99: latency p99 412 ms in the window from …); drift ok: 0 of 7 columns alert, 0 warn"
 */
export function withLayers(result: DriftResult, layers: MonitoringLayers): DriftResult {
  const present = (["multivariate", "operations", "prediction", "kpis", "segments"] as const).flatMap(
    (name) => {
      const layer = layers[name];
      return layer ? [{ name, layer }] : [];
    },
  );
  const checks = [...result.checks, ...present.flatMap((p) => p.layer.checks)];
  const level =
    result.level === "no data" ? "no data" : worstLevel([result.level, ...present.map((p) => p.layer.level)]);
  const alerts = present.flatMap(({ name, layer }) => {
    const failing = layer.checks.filter((c) => c.status === "fail");
    return failing.length > 0 ? [`${name} alert (${failing.map((c) => c.reason).join("; ")})`] : [];
  });
  const verdict =
    alerts.length > 0 ? `${level}: ${alerts.join("; ")}; drift ${result.verdict}` : result.verdict;
  return {
    ...result,
    ...Object.fromEntries(present.map((p) => [p.name, p.layer])),
    level,
    verdict,
    checks,
    status: worstStatus(checks.map((c) => c.status)),
  };
}
