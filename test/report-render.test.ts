import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mermaidLabel } from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hasChromium,
  markdownToHtml,
  type RenderedReport,
  renderInBrowser,
} from "./support/render-browser.js";
import { HOSTILE_REGION, renderHostileComment } from "./support/render-report.js";

// The comment is rendered in a real browser, so a Mermaid chart GitHub would show as an error box, a
// table whose rows lost cells, or data that turned into HTML fails here rather than on a pull
// request. It needs /usr/bin/chromium (scripts/setup-chromium.sh). Without it the test is skipped on
// a developer's machine, but never in CI (CI is set there): a missing browser is then a failure.
const skip = !hasChromium() && !process.env["CI"];
const OUT = join(import.meta.dirname, "..", "test-output");

describe.skipIf(skip)("the PR comment as GitHub shows it", () => {
  let workspace: string;
  let markdown: string;
  let chartLabels: string[];
  let page: RenderedReport;

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), "gauntlet-render-"));
    ({ markdown, chartLabels } = await renderHostileComment(workspace));
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, "report-render.md"), markdown);
    const html = markdownToHtml(markdown);
    writeFileSync(join(OUT, "report-render.html"), html);
    page = await renderInBrowser(html, join(OUT, "report-render.png"));
  });

  afterAll(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it("puts the hostile slice value into the comment's tables and charts", () => {
    expect(markdown).toContain("### Data");
    expect(markdown).toContain("### Evaluation");
    expect(markdown).toContain("### Gate");
    // The gate's per-slice rows name the hostile region too (escaped, like everywhere else).
    const gate = markdown.slice(markdown.indexOf("### Gate"));
    expect(gate).toContain("&lt;script&gt;");
    expect(gate).toContain("approved so far by octocat");
    // Escaped in tables, so the raw value never appears verbatim.
    expect(markdown).not.toContain(HOSTILE_REGION);
    expect(markdown).toContain("&lt;script&gt;");
  });

  it("renders every Mermaid chart without a parse error", () => {
    expect(page.charts.length).toBeGreaterThanOrEqual(2);
    for (const chart of page.charts) {
      expect(chart.error, chart.source).toBeNull();
      expect(chart.svg).toContain("<svg");
      expect(chart.bars, chart.source).toBeGreaterThan(0);
    }
  });

  it("draws one bar and one axis label per category, hostile labels included", () => {
    for (const chart of page.charts) {
      const categories = /x-axis "[^"]*" \[(.*)\]\n/.exec(chart.source)?.[1]?.match(/"[^"]*"/g) ?? [];
      expect(categories.length, chart.source).toBeGreaterThan(0);
      expect(chart.bars).toBe(categories.length);
      expect(chart.xLabels).toHaveLength(categories.length);
      // Two categories with the same text collapse onto one position in Mermaid's band scale.
      expect(chart.barPositions, `distinct bar positions in\n${chart.source}`).toBe(categories.length);
    }
    const standalone = page.charts.at(-1)!;
    expect(standalone.xLabels).toEqual(chartLabels.map((label) => mermaidLabel(label, 80)));
    // Every character of the value is still there, in its chart-safe form.
    expect(standalone.xLabels[0]).toContain("everyone");
    expect(standalone.xLabels[0]).toContain("‹script›alert(1)‹/script›");
    expect(standalone.xLabels[0]).toContain("［b］ ］");
  });

  it("keeps every table row as wide as its header", () => {
    expect(page.tables.length).toBeGreaterThanOrEqual(3);
    for (const table of page.tables) {
      expect(table.headers).toBeGreaterThan(0);
      expect(table.rowCells.length).toBeGreaterThan(0);
      for (const cells of table.rowCells) expect(cells).toBe(table.headers);
    }
  });

  it("shows the hostile value as text: no HTML, no mention, nothing fetched", () => {
    expect(page.scripts).toBe(0);
    expect(page.text).toContain("<script>alert(1)</script>");
    expect(page.text).toContain('"q" [b] ]');
    expect(page.text).toContain("KW|`x`");
    // A word joiner follows every @ in prose, so GitHub links no mention (it never links one in
    // code or inside a chart).
    expect(page.prose).toContain("@\u2060everyone");
    expect(page.prose).not.toMatch(/@everyone/);
    expect(page.external).toEqual([]);
  });
});
