import { escapeMarkdown } from "../report/escape.js";
import { markdownTable } from "../report/markdown-table.js";
import type { Check, CheckStatus } from "../results/check.js";
import type { ValidationResult } from "./validation-result.js";

/** Limits of {@link renderValidationSection}. */
export interface RenderValidationOptions {
  /** Most checks listed per table (default 50); the rest are counted. */
  maxRows?: number;
  /** Most characters of the whole section (default 20,000), within GitHub's 65,536 for a comment. */
  maxChars?: number;
}

const ICON: Record<CheckStatus, string> = { pass: "✅", warn: "⚠️", fail: "❌", skip: "⏭️" };
const COLUMNS = ["", "Check", "Column", "Measured", "Limit", "Reason"];

/**
 * The "Data" section of the sticky PR comment: a one-line verdict with counts, then failing and
 * warning checks in a table, then passing and skipped checks folded in `<details>`. Every
 * data-derived text (column names, values, reasons, file names) goes through `escapeMarkdown`, so
 * a value like `@everyone <script>|` shows as text without pinging, injecting HTML or breaking the
 * table. Long lists are cut and the cut is stated.
 *
 * @example
 * renderValidationSection(result);
 * // "### Data\n\n❌ **Data contract failed**: 2 failed, 1 warning, 18 passed · 12000 rows, 9 columns from data/eval.csv\n\n| | Check | ..."
 */
export function renderValidationSection(
  result: ValidationResult,
  options: RenderValidationOptions = {},
): string {
  const maxRows = options.maxRows ?? 50;
  const maxChars = options.maxChars ?? 20_000;
  const problems = result.checks.filter((c) => c.status === "fail" || c.status === "warn");
  problems.sort((a, b) => (a.status === b.status ? 0 : a.status === "fail" ? -1 : 1));
  const others = result.checks.filter((c) => c.status === "pass" || c.status === "skip");
  let limit = maxRows;
  for (;;) {
    const text = compose(result, problems, others, limit);
    if (text.length <= maxChars || limit === 0)
      return text.length <= maxChars ? text : text.slice(0, maxChars);
    limit = Math.floor(limit / 2);
  }
}

function compose(result: ValidationResult, problems: Check[], others: Check[], limit: number): string {
  const parts = ["### Data", "", verdict(result)];
  if (problems.length > 0) parts.push("", table(problems, limit));
  if (others.length > 0) {
    parts.push(
      "",
      `<details><summary>${others.length} passing or skipped checks</summary>`,
      "",
      table(others, limit),
      "",
      "</details>",
    );
  }
  return `${parts.join("\n")}\n`;
}

function verdict(result: ValidationResult): string {
  const { summary, data } = result;
  const title =
    result.status === "pass"
      ? "Data contract passed"
      : result.status === "warn"
        ? "Data contract passed with warnings"
        : "Data contract failed";
  const counts = [
    `${summary.fail} failed`,
    `${summary.warn} warning${summary.warn === 1 ? "" : "s"}`,
    `${summary.pass} passed`,
    ...(summary.skip > 0 ? [`${summary.skip} skipped`] : []),
  ].join(", ");
  const files = data.files.slice(0, 3).map((f) => escapeMarkdown(f, 120));
  const moreFiles = data.files.length > 3 ? ` and ${data.files.length - 3} more files` : "";
  const source = files.length > 0 ? ` from ${files.join(", ")}${moreFiles}` : "";
  return `${ICON[result.status]} **${title}**: ${counts} · ${data.rows} rows, ${data.columns} columns${source}`;
}

function table(checks: Check[], limit: number): string {
  const rows = checks.map((c) => [
    ICON[c.status],
    { text: c.id, max: 60 },
    c.column === undefined ? "" : { text: c.column, max: 80 },
    { text: formatValue(c.value), max: 80 },
    { text: formatValue(c.limit), max: 120 },
    { text: c.reason, max: 300 },
  ]);
  return markdownTable(COLUMNS, rows, {
    maxRows: limit,
    omitted: (left) => `…and ${left} more checks not shown (see validation.json).`,
  });
}

/**
 * A measured value or limit as shown in a report: numbers to 4 significant digits, lists
 * shortened, missing values as a dash.
 *
 * @example
 * formatValue(0.0123456); // "0.01235"
 * formatValue(["AE", "SA"]); // "AE, SA"
 */
export function formatValue(value: Check["value"] | Check["limit"]): string {
  if (value === null) return "—";
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) {
    const shown = value
      .slice(0, 8)
      .map((v) => formatValue(v))
      .join(", ");
    return value.length > 8 ? `${shown} (+${value.length - 8} more)` : shown;
  }
  return value;
}
