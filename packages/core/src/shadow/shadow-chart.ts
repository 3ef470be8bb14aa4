import { mermaidXyChart } from "../report/mermaid-xychart.js";
import type { DistributionSummary } from "./shadow-result.js";

/**
 * Both score distributions as one Mermaid `xychart-beta`: the histogram bins over [0, 1] on the x
 * axis, the champion's share of requests per bin as bars and the candidate's as a line, so a shift
 * shows as the line leaving the bars. Shares, not counts, so the two series compare even when one
 * model scored fewer rows. Empty when there are no scores. `what` names the x axis: `score`
 * (binary, the default), `class` (multiclass: one bin per class) or `prediction` (regression: the
 * champion's deciles).
 *
 * @example
 * shadowChart(distribution);
 * // "```mermaid\nxychart-beta\n  title \"Score distribution: champion (bars), candidate (line)\"\n  x-axis \"score\" [\"0.0–0.1\", …]\n …"
 */
export function shadowChart(
  distribution: DistributionSummary,
  what: "score" | "class" | "prediction" = "score",
): string {
  const { labels, champion, challenger } = distribution.histogram;
  const share = (counts: readonly number[]) => {
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => (total > 0 ? c / total : 0));
  };
  if (champion.every((c) => c === 0)) return "";
  return mermaidXyChart({
    title: `${what === "score" ? "Score" : what === "class" ? "Class" : "Prediction"} distribution: champion (bars), candidate (line)`,
    xTitle: what,
    yTitle: "share of requests",
    labels,
    bar: share(champion),
    line: share(challenger),
  });
}
