import { escapeMarkdown } from "./escape.js";
import { COMMENT_LIMIT } from "./sticky-fit.js";

/** A column of a {@link markdownTable}: its header (Markdown) and how GitHub aligns its cells. */
export interface TableColumn {
  header: string;
  /** Default: GitHub's own (left), written as `---`. */
  align?: "left" | "center" | "right";
}

/**
 * One cell of a {@link markdownTable}. A string or number is Markdown the renderer made (icons,
 * bold, inline code, already-escaped data) and is only made table-safe; `{ text }` is data-derived
 * text and goes through `escapeMarkdown` (clipped to `max` characters, default 200).
 */
export type TableCell = string | number | { text: string; max?: number };

/** Where {@link markdownTable} cuts rows, and what it says when it does. */
export interface MarkdownTableOptions {
  /** Most rows shown; the rest are counted in the note. */
  maxRows?: number;
  /**
   * Most length of the table with its note, measured by `measure` (default: characters, up to
   * GitHub's 65,536-character comment). Rows that do not fit are cut from the end.
   */
  maxLength?: number;
  /** How `maxLength` is counted, e.g. UTF-8 bytes for a check run's summary. Default: characters. */
  measure?: (text: string) => number;
  /** The note after a cut table, given how many rows it leaves out. */
  omitted?: (count: number) => string;
}

const DEFAULT_OMITTED = (count: number) => `…and ${count} more rows not shown.`;
const ALIGN_RULE = { left: ":---", center: ":---:", right: "---:" } as const;

/**
 * A GitHub Markdown pipe table, the one way gauntlet writes a table: every cell on one line with
 * its pipes escaped (a pipe in a slice value or inside inline code cannot split a row), `{ text }`
 * cells escaped as data, an alignment row, and rows cut visibly — a note after the table counts
 * what was left out — when they pass `maxRows` or `maxLength` (by default GitHub's 65,536-character
 * comment limit, which a longer table could never be posted under).
 *
 * @example
 * markdownTable(["column", { header: "rows", align: "right" }], [[{ text: "a|b" }, 12]]);
 * // "| column | rows |\n| --- | ---: |\n| a\\|b | 12 |"
 * markdownTable(["n"], [[1], [2], [3]], { maxRows: 1, omitted: (n) => `…and ${n} more.` });
 * // "| n |\n| --- |\n| 1 |\n\n…and 2 more."
 */
export function markdownTable(
  columns: readonly (string | TableColumn)[],
  rows: readonly (readonly TableCell[])[],
  options: MarkdownTableOptions = {},
): string {
  const measure = options.measure ?? ((text: string) => text.length);
  const maxLength = options.maxLength ?? COMMENT_LIMIT;
  const omitted = options.omitted ?? DEFAULT_OMITTED;
  const specs = columns.map((c) => (typeof c === "string" ? { header: c } : c));
  const head = `${tableRow(specs.map((c) => c.header))}\n${tableRow(specs.map((c) => (c.align ? ALIGN_RULE[c.align] : "---")))}`;
  const lines = [head, ...rows.slice(0, options.maxRows ?? rows.length).map(tableRow)];
  // ends[i]: the length of lines 0..i joined by newlines.
  const ends: number[] = [];
  for (const line of lines) ends.push((ends.at(-1) ?? -1) + 1 + measure(line));
  if (lines.length - 1 < rows.length || ends.at(-1)! > maxLength) {
    // Room for the longest note this table could need: its count has at most as many digits as rows.length.
    const room = maxLength - measure(`\n\n${omitted(rows.length)}`);
    let kept = lines.length;
    while (kept > 1 && ends[kept - 1]! > room) kept--;
    lines.length = kept;
  }
  const left = rows.length - (lines.length - 1);
  return left > 0 ? `${lines.join("\n")}\n\n${omitted(left)}` : lines.join("\n");
}

/**
 * One table row from its cells, each made table-safe: line breaks become spaces, and pipes not
 * already escaped are escaped (GitHub splits cells on a pipe even inside inline code). An empty
 * cell is written `| |`.
 *
 * @example
 * tableRow(["✅", "`a|b`", ""]); // "| ✅ | `a\\|b` | |"
 */
export function tableRow(cells: readonly TableCell[]): string {
  return `|${cells
    .map((c) => {
      const text = tableCell(c);
      return text === "" ? " |" : ` ${text} |`;
    })
    .join("")}`;
}

function tableCell(cell: TableCell): string {
  if (typeof cell === "number") return String(cell);
  if (typeof cell === "object") return escapeMarkdown(cell.text, cell.max);
  // A pipe after an even run of backslashes (none included) is a cell separator: escape it.
  return cell.replace(/[\r\n]+/g, " ").replace(/(?<!\\)((?:\\\\)*)\|/g, "$1\\|");
}
