import { worstLevel } from "../drift/drift-level.js";
import type { DriftResult } from "../drift/drift-result.js";
import { worstStatus } from "../results/check.js";
import type { OperationalHealth } from "./operational-health.js";

/**
 * A drift result with operational health added: its checks join the result's, an alerting
 * signal raises the level to `alert` (a period without usable rows stays `no data`), and the
 * verdict names the failing signals after the drift findings.
 *
 * @example
 * withOperations(result, operations).verdict;
 * // "alert: operations alert (latency-p99: latency p99 412 ms in the window from …); drift ok: 0 of 7 columns alert, 0 warn"
 */
export function withOperations(result: DriftResult, operations: OperationalHealth): DriftResult {
  const checks = [...result.checks, ...operations.checks];
  const failing = operations.checks.filter((c) => c.status === "fail");
  const level = result.level === "no data" ? "no data" : worstLevel([result.level, operations.level]);
  // The drift verdict opens with the drift level; an operational alert outranks it, so it leads.
  const verdict =
    failing.length > 0
      ? `${level}: operations alert (${failing.map((c) => c.reason).join("; ")}); drift ${result.verdict}`
      : result.verdict;
  return {
    ...result,
    operations,
    level,
    verdict,
    checks,
    status: worstStatus(checks.map((c) => c.status)),
  };
}
