import { sliceText } from "@gauntlet/core";
import type { evaluateModel } from "@gauntlet/steps";

/** The evaluation's headline in one line: regressions, against what, and where in the main metric. */
export function evaluationDetail(outcome: Awaited<ReturnType<typeof evaluateModel>>): string {
  const { result, regressions } = outcome;
  if (!result.baseline) return `no baseline: ${result.baselineNote ?? "none configured"}`;
  const source = result.baseline.source;
  const against =
    source.kind === "path"
      ? source.path
      : source.kind === "supplied"
        ? `the supplied scores ${source.reference}`
        : `${result.model.name} v${source.version}${source.kind === "alias" ? ` (alias ${source.reference})` : ""}`;
  const main = result.metrics[0]!;
  const where = regressions
    .filter((r) => r.metric === main)
    .map((r) => (r.slice === null ? "overall" : sliceText(r.slice)));
  const count = `${regressions.length} significant regression${regressions.length === 1 ? "" : "s"} against ${against}`;
  if (where.length === 0) return `${count}; none in ${main}`;
  const listed = where.slice(0, 3).join(", ") + (where.length > 3 ? `, +${where.length - 3} more` : "");
  return `${count}; ${main} worse in ${listed}`;
}
