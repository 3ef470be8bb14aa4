/** One category of an xy chart and its values; `null` values are drawn as 0 by the caller's choice only. */
export interface XyChartInput {
  title: string;
  /** Axis titles. */
  xTitle: string;
  yTitle: string;
  /** Category labels, data-derived: they are made safe here. */
  labels: readonly string[];
  /** Drawn as bars (the candidate). */
  bar: readonly number[];
  /** Drawn as a line over the bars (the baseline), when given. */
  line?: readonly number[];
  /** Longest label kept, in characters. Default 24. */
  maxLabelLength?: number;
}

/**
 * Makes text safe as a quoted Mermaid label: Mermaid has no escape for `"` inside a quoted
 * string and reads `[` `]` as list syntax, so quotes become `'`, brackets their full-width forms
 * (an interval like `[6, 12)` still reads as one), HTML-significant characters and line breaks are
 * replaced, `@` cannot start a mention, and long labels are clipped.
 *
 * @example
 * mermaidLabel('[6, 12)'); // "［6, 12)"
 * mermaidLabel('say "hi" <b>'); // "say 'hi' ‹b›"
 */
export function mermaidLabel(text: string, maxLength = 24): string {
  const clean = text
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/"/g, "'")
    .replace(/\[/g, "［")
    .replace(/\]/g, "］")
    .replace(/</g, "‹")
    .replace(/>/g, "›")
    .replace(/&/g, "＆")
    .replace(/[`#;%]/g, "_")
    // Code blocks do not ping, but a label copied out of the chart should not either.
    .replace(/@/g, "@\u2060")
    .trim();
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}

/**
 * A Mermaid `xychart-beta` block (fenced, ready for GitHub Markdown) with bars and an optional
 * line over the same categories. Numbers are written with 4 decimals; non-finite values become 0
 * because Mermaid cannot draw a gap, so callers leave such categories out.
 *
 * @example
 * mermaidXyChart({ title: "roc_auc by slice", xTitle: "slice", yTitle: "roc_auc",
 *   labels: ["region=AE", "region=MA"], bar: [0.85, 0.71], line: [0.84, 0.79] });
 * // "```mermaid\nxychart-beta\n  title \"roc_auc by slice\"\n  x-axis \"slice\" [\"region=AE\", \"region=MA\"]\n ..."
 */
export function mermaidXyChart(input: XyChartInput): string {
  const max = input.maxLabelLength ?? 24;
  const quote = (text: string, length = max) => `"${mermaidLabel(text, length)}"`;
  const numbers = (values: readonly number[]) =>
    `[${values.map((v) => (Number.isFinite(v) ? Number(v.toFixed(4)) : 0)).join(", ")}]`;
  const lines = [
    "```mermaid",
    "xychart-beta",
    `  title ${quote(input.title, 80)}`,
    `  x-axis ${quote(input.xTitle, 40)} [${input.labels.map((l) => quote(l)).join(", ")}]`,
    `  y-axis ${quote(input.yTitle, 40)}`,
    `  bar ${numbers(input.bar)}`,
    ...(input.line ? [`  line ${numbers(input.line)}`] : []),
    "```",
  ];
  return lines.join("\n");
}
