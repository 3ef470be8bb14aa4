import { appendFile, stat } from "node:fs/promises";
import * as core from "@actions/core";
import { type Check, truncateMarkdown } from "@gauntlet/core";

/**
 * Sets step outputs; `undefined` and `null` values are skipped, so optional outputs such as
 * `comment-id` simply stay unset.
 *
 * @example
 * setOutputs({ result: ".gauntlet/churn/validation.json", passed: true, "comment-id": undefined });
 * // GITHUB_OUTPUT gains result=.gauntlet/churn/validation.json and passed=true
 */
export function setOutputs(outputs: Record<string, string | number | boolean | null | undefined>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined && value !== null) core.setOutput(name, String(value));
  }
}

/** GitHub refuses a step summary over 1 MiB, and then shows none of it. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Bounds and wording for {@link writeSummary}. */
export interface SummaryOptions {
  /** Default {@link SUMMARY_LIMIT_BYTES}; what the step has already written counts against it. */
  limitBytes?: number;
  /** Where the full report is, for the truncation note. Default: the results artifact. */
  fullReport?: string;
}

/**
 * Appends Markdown to the job summary, cut visibly (on a line boundary, never inside a code
 * fence) when the step's summary would pass GitHub's 1 MiB limit. Outside a runner, where
 * `GITHUB_STEP_SUMMARY` is unset, it writes nothing and says so in the debug log.
 *
 * @example
 * await writeSummary(renderEvaluationReport(result));
 * // { written: true, truncated: false }
 */
export async function writeSummary(
  markdown: string,
  options: SummaryOptions = {},
): Promise<{ written: boolean; truncated: boolean }> {
  const path = process.env["GITHUB_STEP_SUMMARY"];
  if (!path) {
    core.debug("GITHUB_STEP_SUMMARY is not set; skipping the job summary");
    return { written: false, truncated: false };
  }
  const used = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  // One byte for the newline that ends the report.
  const available = (options.limitBytes ?? SUMMARY_LIMIT_BYTES) - used - 1;
  const where = options.fullReport ?? "the `results-dir` artifact of this run";
  const note = (o: { lines: number; characters: number }) =>
    `> [!WARNING]\n> Truncated: the last ${o.lines.toLocaleString("en-US")} lines ` +
    `(${o.characters.toLocaleString("en-US")} characters) did not fit GitHub's 1 MiB job summary limit. ` +
    `The full report is in ${where}.`;

  let text = markdown;
  // Characters and bytes differ for non-ASCII text: scale the character budget until the bytes fit.
  for (let budget = available; Buffer.byteLength(text) > available && budget > 0; ) {
    text = truncateMarkdown(markdown, budget, note);
    const bytes = Buffer.byteLength(text);
    budget = Math.min(budget - 1, Math.floor((budget * available) / bytes));
  }
  if (Buffer.byteLength(text) > available) {
    core.warning(`the job summary is full (${used} bytes); this step's report is only in ${where}`);
    return { written: false, truncated: true };
  }
  // Appended directly: core.summary caches the file path of its first write, which would make
  // the size measured above and the file written differ.
  await appendFile(path, `${text}\n`, "utf8");
  return { written: true, truncated: text !== markdown };
}

/** How checks become annotations. */
export interface AnnotateOptions {
  /** The file the annotations point at, usually the manifest. */
  file?: string;
  /** The line in `file`, fixed or per check (e.g. the line of the column's contract). */
  line?: number | ((check: Check) => number | undefined);
  /** Prefix of each annotation's title. Default `gauntlet`. */
  title?: string;
  /** GitHub shows at most 10 annotations of each type per step. */
  maxPerType?: number;
}

/**
 * Emits failing checks as `::error` and warning checks as `::warning` annotations, worst first.
 * GitHub shows at most 10 of each type per step, so past the cap the last slot says how many more
 * there are instead of letting GitHub drop them silently.
 *
 * @example
 * annotate(validation.checks, { file: "models/churn/model.yml" });
 * // ::error file=models/churn/model.yml,title=gauntlet%3A null-fraction (age)::3.4% of age is null; at most 1% is allowed
 * // { errors: 1, warnings: 0, omitted: 0 }
 */
export function annotate(
  checks: readonly Check[],
  options: AnnotateOptions = {},
): { errors: number; warnings: number; omitted: number } {
  const cap = Math.max(1, options.maxPerType ?? 10);
  const counts = { errors: 0, warnings: 0, omitted: 0 };
  for (const [status, emit, noun] of [
    ["fail", core.error, "failing"],
    ["warn", core.warning, "warning"],
  ] as const) {
    const matching = checks.filter((check) => check.status === status);
    const shown = matching.length > cap ? matching.slice(0, cap - 1) : matching;
    for (const check of shown) {
      const line = typeof options.line === "function" ? options.line(check) : options.line;
      const column = check.column === undefined ? "" : ` (${check.column})`;
      emit(check.reason, {
        title: `${options.title ?? "gauntlet"}: ${check.id}${column}`,
        ...(options.file === undefined ? {} : { file: options.file }),
        ...(line === undefined ? {} : { startLine: line }),
      });
    }
    const more = matching.length - shown.length;
    if (more > 0) {
      emit(`${more} more ${noun} checks are not annotated here; see the job summary for all of them`, {
        title: `${options.title ?? "gauntlet"}: ${more} more`,
        ...(options.file === undefined ? {} : { file: options.file }),
      });
    }
    if (status === "fail") counts.errors = shown.length + (more > 0 ? 1 : 0);
    else counts.warnings = shown.length + (more > 0 ? 1 : 0);
    counts.omitted += more;
  }
  return counts;
}
