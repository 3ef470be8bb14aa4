import { describe, expect, it } from "vitest";
import { markdownTable, tableRow } from "./markdown-table.js";
import { COMMENT_LIMIT } from "./sticky-fit.js";

/** The cells of a rendered row, split on unescaped pipes as GitHub splits them. */
function cellsOf(line: string): string[] {
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe("markdownTable", () => {
  it("writes the header, the alignment row and one line per row", () => {
    const table = markdownTable(
      [
        "name",
        { header: "rows", align: "right" },
        { header: "share", align: "center" },
        { header: "x", align: "left" },
      ],
      [
        ["a", 12, "50%", "✅"],
        ["b", 3, "—", ""],
      ],
    );
    expect(table).toBe(
      "| name | rows | share | x |\n| --- | ---: | :---: | :--- |\n| a | 12 | 50% | ✅ |\n| b | 3 | — | |",
    );
  });

  it("escapes data cells: pipes, line breaks, mentions, HTML", () => {
    const table = markdownTable(["value"], [[{ text: "@team a|b\nc <b>x</b>" }]]);
    const row = table.split("\n")[2]!;
    expect(table.split("\n")).toHaveLength(3);
    expect(cellsOf(row)).toHaveLength(1);
    expect(row).not.toMatch(/@team/);
    expect(row).toContain("@\u2060team");
    expect(row).not.toContain("<b>");
    expect(row).toContain("a\\|b c");
  });

  it("clips a data cell to its maximum", () => {
    expect(tableRow([{ text: "x".repeat(50), max: 10 }])).toBe(`| ${"x".repeat(9)}… |`);
  });

  it("keeps Markdown cells but escapes their unescaped pipes and line breaks", () => {
    expect(tableRow(["**bold** `a|b`", "already \\| escaped", "two\nlines"])).toBe(
      "| **bold** `a\\|b` | already \\| escaped | two lines |",
    );
    // An escaped backslash before a pipe does not escape the pipe.
    expect(cellsOf(tableRow(["a\\\\|b"]))).toEqual(["a\\\\\\|b"]);
    expect(cellsOf(tableRow(["x||y", "z"]))).toEqual(["x\\|\\|y", "z"]);
  });

  it("cuts rows past maxRows and counts them in the note", () => {
    const rows = [[1], [2], [3], [4]];
    expect(markdownTable(["n"], rows, { maxRows: 2, omitted: (n) => `…and ${n} more.` })).toBe(
      "| n |\n| --- |\n| 1 |\n| 2 |\n\n…and 2 more.",
    );
    expect(markdownTable(["n"], rows, { maxRows: 4 })).toBe("| n |\n| --- |\n| 1 |\n| 2 |\n| 3 |\n| 4 |");
  });

  it("cuts rows to fit maxLength, note included, and keeps a table that fits whole", () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`row ${i}`, "x".repeat(20)]);
    const whole = markdownTable(["a", "b"], rows);
    expect(markdownTable(["a", "b"], rows, { maxLength: whole.length })).toBe(whole);
    const cut = markdownTable(["a", "b"], rows, { maxLength: whole.length - 1 });
    expect(cut.length).toBeLessThanOrEqual(whole.length - 1);
    const kept = cut.split("\n\n")[0]!.split("\n").length - 2;
    expect(kept).toBeGreaterThan(20);
    expect(kept).toBeLessThan(30);
    expect(cut).toMatch(new RegExp(`…and ${30 - kept} more rows not shown\\.$`));
  });

  it("measures maxLength the way it is given, e.g. UTF-8 bytes", () => {
    const rows = Array.from({ length: 10 }, () => ["❌".repeat(10)]);
    const bytes = (text: string) => new TextEncoder().encode(text).length;
    const cut = markdownTable(["s"], rows, { maxLength: 200, measure: bytes });
    expect(bytes(cut)).toBeLessThanOrEqual(200);
    expect(markdownTable(["s"], rows, { maxLength: 200 })).not.toContain("more rows");
    expect(cut).toContain("more rows not shown");
  });

  it("never exceeds GitHub's comment limit by default", () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => [`slice ${i}`, "y".repeat(30)]);
    const table = markdownTable(["slice", "value"], rows);
    expect(table.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(table).toMatch(/…and \d+ more rows not shown\.$/);
  });

  it("keeps the header when not even one row fits", () => {
    expect(markdownTable(["n"], [["a long row"]], { maxLength: 20, omitted: (n) => `(${n} cut)` })).toBe(
      "| n |\n| --- |\n\n(1 cut)",
    );
  });
});
