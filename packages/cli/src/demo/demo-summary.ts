import { relative } from "node:path";
import type { DemoRun, DemoStep } from "./demo-types.js";

/**
 * What `gauntlet demo` prints: one line per step with its verdict and report (columns separated
 * by at least two spaces), the reason on the line below, then where the comment and index are
 * and the total time. Paths are relative to `cwd`.
 *
 * @example
 * formatDemoSummary(run, process.cwd());
 * // "gauntlet demo: churn 1.3.0 from examples/churn against production 1.2.0, offline\n\n  validate  pass  demo-out/churn/validation.md\n ..."
 */
export function formatDemoSummary(run: DemoRun, cwd: string): string {
  const shown = (path: string) => relative(cwd, path) || ".";
  const all = [...run.steps, ...(run.companion?.steps ?? [])];
  const nameWidth = Math.max(...all.map((s) => s.name.length));
  const verdictWidth = Math.max(...all.map((s) => s.verdict.length));
  const stepLines = (steps: readonly DemoStep[]) => {
    const lines: string[] = [];
    let when = "";
    for (const step of steps) {
      if (step.when !== when) {
        when = step.when;
        lines.push(`${when}:`);
      }
      lines.push(
        `  ${step.name.padEnd(nameWidth)}  ${step.verdict.padEnd(verdictWidth)}  ${shown(step.report)}`,
        `  ${" ".repeat(nameWidth)}  ${step.detail}`,
      );
    }
    return lines;
  };
  const lines = [
    `gauntlet demo: ${run.model.name} ${run.model.version} from ${shown(run.exampleDir)} against production ${run.production.version}, offline`,
    "",
    ...stepLines(run.steps),
  ];
  const companion = run.companion;
  if (companion) {
    lines.push(
      "",
      `and ${companion.model.name} ${companion.model.version} (multiclass) against production ${companion.production.version}:`,
      ...stepLines(companion.steps),
    );
  }
  lines.push(
    "",
    `sticky PR comment: ${shown(run.comment)}${companion ? `, ${shown(companion.comment)}` : ""}`,
    `everything:        ${shown(run.index)}`,
    `registry site:     ${shown(run.site)} (open it in a browser)`,
    `done in ${run.seconds.toFixed(1)} s (verdicts are the demo's findings; exit code 0)`,
    "",
  );
  return lines.join("\n");
}
