import { formatNumber } from "../report/evaluation-format.js";
import { markdownTable } from "../report/markdown-table.js";
import type { MultivariateDrift } from "./reconstruction-drift.js";
import { renderChecks } from "./render-checks.js";
import { windowLabel } from "./window-label.js";

/**
 * The multivariate-drift section of the drift report: the check, the fitted model (columns,
 * components kept, variance explained, limits) and each window's mean reconstruction error.
 *
 * @example
 * renderMultivariate(multivariate);
 * // "#### Multivariate drift (PCA reconstruction error)\n\n| check | status | ..."
 */
export function renderMultivariate(drift: MultivariateDrift, options: { maxWindows?: number } = {}): string {
  const m = drift.model;
  const out = [
    "#### Multivariate drift (PCA reconstruction error)",
    "",
    ...renderChecks(drift.checks),
    "",
    `${m.componentsKept} of ${m.columns.length} principal components of the standardised numeric features (${formatNumber(100 * m.explained)}% of the variance); reference error ${formatNumber(m.reference)}, limits ${formatNumber(m.lower)}–${formatNumber(m.upper)} (mean ± 3 SD of ${m.chunks.length} reference chunks), as NannyML's data reconstruction drift.`,
    "",
    markdownTable(
      ["window (UTC)", "rows", "reconstruction error"],
      drift.windows
        .slice(-(options.maxWindows ?? 31))
        .map((w) => [windowLabel(w.start), w.rows, `${formatNumber(w.error)}${w.alert ? " 🔴" : ""}`]),
    ),
  ];
  return out.join("\n");
}
