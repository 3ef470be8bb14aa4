import type { MetricName } from "../manifest/metric-names.js";
import { METRICS } from "../metrics/registry.js";
import type { MetricResult, SliceResult } from "../results/evaluation.js";
import { escapeMarkdown } from "./escape.js";
import { formatNumber, formatWithInterval } from "./evaluation-format.js";
import { REGRESSION_MARK, sliceMarkdown } from "./evaluation-headline.js";
import { isSignificantRegression } from "./evaluation-regressions.js";
import type { EvaluationResult } from "./evaluation-result.js";
import { markdownTable } from "./markdown-table.js";
import { mermaidXyChart } from "./mermaid-xychart.js";

/** A reported (not suppressed) slice with its baseline counterpart, when a baseline ran. */
export interface RankedSlice {
  slice: SliceResult;
  baseline?: Partial<Record<MetricName, MetricResult>>;
  delta?: Partial<Record<MetricName, MetricResult>>;
}

/**
 * The reported slices, worst first by the main metric: by its delta when a baseline ran (most
 * negative first for a higher-is-better metric), else by its value; undefined values last.
 *
 * @example
 * rankSlices(result)[0]!.slice.key; // { region: "MA" }
 */
export function rankSlices(result: EvaluationResult): RankedSlice[] {
  const main = result.metrics[0]!;
  const sign = METRICS[main].direction === "higher" ? 1 : -1;
  const ranked = result.slices.flatMap((slice, i): RankedSlice[] => {
    if (slice.suppressed) return [];
    const b = result.baseline?.slices[i];
    return [b ? { slice, baseline: b.metrics, delta: b.delta } : { slice }];
  });
  const score = (r: RankedSlice) => {
    const v = (r.delta ?? r.slice.metrics)[main]?.value;
    return v === null || v === undefined ? Number.POSITIVE_INFINITY : sign * v;
  };
  // Stable sort keeps evaluate's order (spec, then size) among equal scores.
  return ranked.sort((a, b) => score(a) - score(b));
}

/**
 * The slices table for the main metric, at most `limit` rows, significant regressions marked.
 *
 * @example
 * slicesTable(result, rankSlices(result), 50);
 * // "| Slice | n | Candidate | Baseline | Δ | |\n| --- | ...\n| region\\=MA | 412 | 0.712 [...] | 0.790 [...] | −0.078 [...] | 🔻 |"
 */
export function slicesTable(result: EvaluationResult, ranked: readonly RankedSlice[], limit: number): string {
  const main = result.metrics[0]!;
  const withBaseline = result.baseline !== null;
  const size = sizeColumns(result);
  const columns = ["Slice", ...size.headers, main, ...(withBaseline ? ["Baseline", "Δ", ""] : [])];
  const rows = ranked.map((r) => {
    const cells = [
      sliceMarkdown(r.slice.key),
      ...size.cells(r.slice),
      formatWithInterval(r.slice.metrics[main]),
    ];
    if (withBaseline) {
      const mark = isSignificantRegression(main, r.delta?.[main]) ? REGRESSION_MARK : "";
      cells.push(formatWithInterval(r.baseline?.[main]), formatWithInterval(r.delta?.[main], true), mark);
    }
    return cells;
  });
  return markdownTable(columns, rows, {
    maxRows: limit,
    omitted: (more) => `…and ${more} more slices not shown here (all are in evaluation.json).`,
  });
}

/**
 * The line listing suppressed slices with their `< k` sizes, at most `limit` of them.
 *
 * @example
 * suppressedLine(result, 20); // "Suppressed (fewer than 30 rows, no metrics): region\\=QA (< 30)"
 */
export function suppressedLine(result: EvaluationResult, limit: number): string | undefined {
  const suppressed = result.slices.filter((s) => s.suppressed);
  if (suppressed.length === 0) return undefined;
  const shown = suppressed
    .slice(0, limit)
    .map((s) => `${sliceMarkdown(s.key)} (${escapeMarkdown(String(s.n))})`);
  const more = suppressed.length > shown.length ? `, and ${suppressed.length - shown.length} more` : "";
  return `Suppressed (fewer than ${result.minSliceSize} rows, no metrics): ${shown.join(", ")}${more}`;
}

/**
 * The Mermaid chart of the main metric per slice, worst `cap` slices: candidate as bars,
 * baseline as a line. Slices whose metric is undefined cannot be drawn and are counted instead.
 *
 * @example
 * slicesChart(result, rankSlices(result), 20); // "```mermaid\nxychart-beta\n..." + a caption line
 */
export function slicesChart(
  result: EvaluationResult,
  ranked: readonly RankedSlice[],
  cap: number,
): string | undefined {
  const main = result.metrics[0]!;
  const drawable = ranked.filter(
    (r) =>
      r.slice.metrics[main]?.value != null && (result.baseline === null || r.baseline?.[main]?.value != null),
  );
  if (drawable.length === 0) return undefined;
  const shown = drawable.slice(0, cap);
  const chart = mermaidXyChart({
    title: `${main} by slice`,
    xTitle: "slice",
    yTitle: main,
    // Values only: the column names would push the part that tells bars apart out of the clipped label.
    labels: shown.map((r) => Object.values(r.slice.key).join(" · ")),
    maxLabelLength: 28,
    bar: shown.map((r) => r.slice.metrics[main]!.value!),
    ...(result.baseline ? { line: shown.map((r) => r.baseline![main]!.value!) } : {}),
  });
  const parts = [result.baseline ? "Bars: candidate; line: baseline." : "Bars: candidate."];
  if (drawable.length > shown.length)
    parts.push(`Only the ${shown.length} worst of ${drawable.length} slices are drawn.`);
  if (ranked.length > drawable.length)
    parts.push(`${ranked.length - drawable.length} slices with an undefined ${main} are not drawn.`);
  return `${chart}\n\n${parts.join(" ")}`;
}

/**
 * Every metric of every reported slice, one `<details>` block per slicing (column or cross), each
 * with at most `limit` rows. Cells show the candidate value and, with a baseline, the delta.
 *
 * @example
 * detailsBlocks(result, 100);
 * // ["<details><summary>All metrics by region (7 slices)</summary>\n\n| Slice | n | roc_auc | ..."]
 */
export function detailsBlocks(result: EvaluationResult, limit: number): string[] {
  const groups = new Map<string, number[]>();
  result.slices.forEach((slice, i) => {
    if (slice.suppressed) return;
    const name = Object.keys(slice.key).join(" × ");
    groups.set(name, [...(groups.get(name) ?? []), i]);
  });
  const size = sizeColumns(result);
  const columns = ["Slice", ...size.headers, ...result.metrics];
  return [...groups].map(([name, indices]) => {
    const rows = indices.map((i) => {
      const slice = result.slices[i]!;
      const delta = result.baseline?.slices[i]?.delta;
      const cells = result.metrics.map((m) => {
        const value = formatNumber(slice.metrics[m]?.value);
        if (!delta) return value;
        const mark = isSignificantRegression(m, delta[m]) ? ` ${REGRESSION_MARK}` : "";
        return `${value} (Δ ${formatNumber(delta[m]?.value, true)})${mark}`;
      });
      return [sliceMarkdown(slice.key), ...size.cells(slice), ...cells];
    });
    const table = markdownTable(columns, rows, {
      maxRows: limit,
      omitted: (more) => `…and ${more} more slices.`,
    });
    const summary = `All metrics by ${escapeMarkdown(name, 120)} (${indices.length} slices)`;
    return `<details><summary>${summary}</summary>\n\n${table}\n\n</details>`;
  });
}

/**
 * The size columns of a slice table: `n`, and with sample weights the slice's total weight beside
 * it (a suppressed slice has none to show).
 */
function sizeColumns(result: EvaluationResult): {
  headers: string[];
  cells: (slice: SliceResult) => string[];
} {
  if (result.weightColumn === undefined) return { headers: ["n"], cells: (s) => [String(s.n)] };
  return { headers: ["n", "weight"], cells: (s) => [String(s.n), formatNumber(s.weight)] };
}
