import { describe, expect, it } from "vitest";
import { escapeMarkdown, inlineCode } from "./escape.js";

describe("escapeMarkdown", () => {
  it("neutralises mentions, HTML and table pipes", () => {
    const out = escapeMarkdown("@everyone <script>alert(1)</script> | `x`");
    expect(out).not.toMatch(/(^|[^\u2060])@everyone/);
    expect(out).not.toContain("<script>");
    expect(out).not.toMatch(/(^|[^\\])\|/);
    expect(out).not.toMatch(/(^|[^\\])`/);
  });
  it("keeps text on one line and clips long values visibly", () => {
    expect(escapeMarkdown("a\nb")).toBe("a b");
    expect(escapeMarkdown("x".repeat(500), 10)).toBe(`${"x".repeat(9)}…`);
  });
  it("breaks autolinks and issue references", () => {
    expect(escapeMarkdown("http://evil.example")).not.toContain("://");
    expect(escapeMarkdown("#12")).toBe("\\#12");
  });
});

describe("inlineCode", () => {
  it("fences backticks with a longer run", () => {
    expect(inlineCode("plain")).toBe("`plain`");
    expect(inlineCode("a`b")).toBe("`` a`b ``");
  });
});
