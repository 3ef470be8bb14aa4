import type { DriftResult } from "../drift/drift-result.js";
import type { SiteMonitoring } from "./site-snapshot.js";

/**
 * The monitoring part of a model page from its latest `drift.json`: the level, the verdict, and
 * per window the drift index, its worst column and the prediction health.
 *
 * @example
 * siteMonitoring(drift, "https://github.com/acme/models/actions/runs/7");
 * // { version: "1.2.0", level: "alert", verdict: "alert: 3 of 10 columns drifted …", windows: [{ start: "2025-05-30T00:00:00.000Z", driftIndex: 1.7, … }], url: "https://…" }
 */
export function siteMonitoring(drift: DriftResult, url: string | null): SiteMonitoring {
  return {
    version: drift.model.version,
    level: drift.level,
    verdict: drift.verdict,
    url,
    windows: drift.windows.map((w) => ({
      start: w.start,
      end: w.end,
      rows: w.rows,
      level: w.level,
      driftIndex: w.driftIndex,
      worstColumn: w.worstColumn,
      meanScore: w.health.meanScore,
      lowConfidenceShare: w.health.lowConfidenceShare,
      positiveShare: w.health.positiveShare,
      estimatedAccuracy: w.estimatedAccuracy,
    })),
  };
}
