import { describe, expect, it } from "vitest";
import { COMMENT_SECTIONS, parseSections, upsertSection } from "./sticky-comment.js";
import { COMMENT_LIMIT, fitCommentBody, truncateMarkdown } from "./sticky-fit.js";

const rows = (count: number, width = 40) =>
  Array.from({ length: count }, (_, i) => `| slice ${i} | ${"x".repeat(width)} |`).join("\n");

describe("fitCommentBody", () => {
  it("returns a body that fits unchanged", () => {
    const body = upsertSection(undefined, "churn", "data", "small");
    expect(fitCommentBody(body)).toBe(body);
  });

  it("cuts the largest section, keeps every marker and says what was cut and where the rest is", () => {
    let body = upsertSection(undefined, "churn", "data", "data ok");
    body = upsertSection(body, "churn", "evaluation", `| slice | value |\n| --- | --- |\n${rows(3000)}`);
    body = upsertSection(body, "churn", "gate", "gate passed");
    expect(body.length).toBeGreaterThan(COMMENT_LIMIT);

    const fitted = fitCommentBody(body);
    expect(fitted.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    for (const name of ["data", "evaluation", "gate"]) {
      expect(fitted).toContain(`<!-- gauntlet:section=${name} -->`);
      expect(fitted).toContain(`<!-- gauntlet:section-end=${name} -->`);
    }
    const sections = Object.fromEntries(parseSections(fitted).map((s) => [s.name, s.markdown]));
    expect(sections["data"]).toBe("data ok");
    expect(sections["gate"]).toBe("gate passed");
    expect(sections["evaluation"]).toMatch(/Truncated: the last [\d,]+ lines/);
    expect(sections["evaluation"]).toContain("job summary");
    expect(sections["evaluation"]).toContain("| slice 0 |");
    // Not wastefully short either: most of the budget is still used.
    expect(fitted.length).toBeGreaterThan(COMMENT_LIMIT - 500);
  });

  it("cuts several sections when one is not enough, and stays idempotent", () => {
    let body: string | undefined;
    for (const section of COMMENT_SECTIONS) body = upsertSection(body, "m", section, rows(1000));
    const fitted = fitCommentBody(body!, 20_000, { fullReport: "the `eval` artifact" });
    expect(fitted.length).toBeLessThanOrEqual(20_000);
    expect(parseSections(fitted).map((s) => s.name)).toEqual([...COMMENT_SECTIONS]);
    expect(fitted).toContain("the `eval` artifact");
    expect(fitCommentBody(fitted, 20_000)).toBe(fitted);
  });

  it("refuses a limit too small for the markers rather than breaking them", () => {
    const body = upsertSection(undefined, "m", "data", rows(100));
    expect(() => fitCommentBody(body, 50)).toThrow(RangeError);
  });
});

describe("truncateMarkdown", () => {
  const note = (o: { lines: number; characters: number }) => `(cut ${o.lines} lines, ${o.characters} chars)`;

  it("cuts on a line boundary and reports what it dropped", () => {
    const md = ["a", "b", "c", "d"].map((c) => c.repeat(10)).join("\n");
    const out = truncateMarkdown(md, 40, note);
    expect(out).toBe(`${"a".repeat(10)}\n\n(cut 3 lines, 33 chars)`);
    expect(out.length).toBeLessThanOrEqual(40);
  });

  it("never cuts inside a code fence, so a Mermaid block is whole or absent", () => {
    const md = ["intro", "```mermaid", "xychart-beta", ...Array(50).fill("  bar [1]"), "```", "tail"].join(
      "\n",
    );
    const out = truncateMarkdown(md, 200, note);
    expect(out.startsWith("intro\n\n(cut")).toBe(true);
    expect(out).not.toContain("```");
  });

  it("closes an open <details> so the note is not hidden inside it", () => {
    const md = ["<details><summary>slices</summary>", "", rows(100)].join("\n");
    const out = truncateMarkdown(md, 600, note);
    expect(out.length).toBeLessThanOrEqual(600);
    expect(out).toMatch(/<\/details>\n\n\(cut/);
  });

  it("returns only the note when not even one line fits", () => {
    expect(truncateMarkdown("x".repeat(100), 10, note)).toBe("(cut 1 lines, 100 chars)");
  });
});
