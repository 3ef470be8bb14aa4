import { type Check, worstStatus } from "../results/check.js";
import type { Recommendation } from "./shadow-result.js";

/**
 * The recommendation from the checks: `hold` when any check failed, with each failure's reason;
 * otherwise `promote to canary`, with the passing checks' reasons (warnings first) as the case
 * for it. Shadow traffic never recommends a full rollout: live traffic has not been served yet.
 *
 * @example
 * shadowVerdict([{ id: "disagreement", status: "fail", value: 0.09, limit: 0.05, reason: "decisions differ on 9.0% …" }]);
 * // { status: "fail", recommendation: "hold", reasons: ["decisions differ on 9.0% …"] }
 */
export function shadowVerdict(checks: readonly Check[]): {
  status: "pass" | "warn" | "fail";
  recommendation: Recommendation;
  reasons: string[];
} {
  const status = worstStatus(checks.map((c) => c.status));
  const failed = checks.filter((c) => c.status === "fail");
  if (failed.length > 0) return { status, recommendation: "hold", reasons: failed.map((c) => c.reason) };
  const ordered = [
    ...checks.filter((c) => c.status === "warn"),
    ...checks.filter((c) => c.status === "pass"),
  ];
  return { status, recommendation: "promote to canary", reasons: ordered.map((c) => c.reason) };
}
