import type { Check } from "../results/check.js";
import { formatNumber, sliceText } from "./evaluation-format.js";
import type { Regression } from "./evaluation-regressions.js";

/**
 * A significant regression as the warning check evaluate-slices annotates on the manifest: where,
 * by how much, and the simultaneous interval that makes it significant.
 *
 * @example
 * regressionCheck({ slice: { region: "MA" }, metric: "roc_auc", delta: -0.078, ci: [-0.12, -0.04] });
 * // { id: "significant-regression", column: "region=MA", status: "warn", value: -0.078, limit: 0,
 * //   reason: "roc_auc got worse by 0.078 on region=MA (its simultaneous candidate − baseline interval [-0.12, -0.04], …, excludes 0)" }
 */
export function regressionCheck(regression: Regression): Check {
  const where = regression.slice ? sliceText(regression.slice) : "overall";
  const [low, high] = regression.ci.map((v) => formatNumber(v, true));
  return {
    id: "significant-regression",
    column: where,
    status: "warn",
    value: regression.delta,
    limit: 0,
    reason:
      `${regression.metric} got worse by ${formatNumber(Math.abs(regression.delta))} ${regression.slice ? `on ${where}` : "overall"} ` +
      `(its simultaneous candidate − baseline interval [${low}, ${high}], controlled across the report's metrics and slices, excludes 0)`,
  };
}
