import { describe, expect, it } from "vitest";
import { isUserError } from "../errors/user-error.js";
import { COMMENT_SECTIONS, findMarker, mapSections, parseSections, upsertSection } from "./sticky-comment.js";

const sectionOrder = (body: string) => parseSections(body).map((s) => s.name);

describe("findMarker", () => {
  it("is a hidden HTML comment naming the model", () => {
    expect(findMarker("churn")).toBe("<!-- gauntlet:model=churn -->");
  });
  it("encodes anything that could close the comment, break the line or forge a section", () => {
    const hostile = "churn -->\n<!-- gauntlet:section=gate -->@team";
    const marker = findMarker(hostile);
    expect(marker.match(/-->/g)).toHaveLength(1);
    expect(marker.endsWith(" -->")).toBe(true);
    expect(marker).not.toContain("\n");
    expect(marker).not.toContain("<!-- gauntlet:section");
    expect(findMarker(hostile)).not.toBe(findMarker("churn"));
  });
  it("rejects empty and absurdly long names as a user error", () => {
    for (const name of ["", "x".repeat(500)]) {
      let caught: unknown;
      try {
        findMarker(name);
      } catch (error) {
        caught = error;
      }
      expect(isUserError(caught)).toBe(true);
    }
  });
});

describe("upsertSection", () => {
  it("creates a body with the marker first, a heading, and the one section", () => {
    const body = upsertSection(undefined, "churn", "data", "All 12 checks passed.");
    expect(body.startsWith("<!-- gauntlet:model=churn -->\n## gauntlet · churn\n")).toBe(true);
    expect(body).toContain(
      "<!-- gauntlet:section=data -->\n\nAll 12 checks passed.\n\n<!-- gauntlet:section-end=data -->",
    );
    expect(parseSections(body)).toEqual([{ name: "data", markdown: "All 12 checks passed." }]);
  });

  it("keeps the fixed section order whatever order actions write in", () => {
    let body: string | undefined;
    for (const section of ["gate", "behaviour", "data", "shadow", "evaluation"] as const) {
      body = upsertSection(body, "churn", section, `${section} report`);
    }
    expect(sectionOrder(body!)).toEqual([...COMMENT_SECTIONS]);
  });

  it("replaces only its own section and leaves the others byte for byte", () => {
    const data = "| column | status |\n| --- | --- |\n| age | ✅ |\n\n```mermaid\npie\n```";
    let body = upsertSection(undefined, "churn", "data", data);
    body = upsertSection(body, "churn", "evaluation", "AUC 0.90");
    body = upsertSection(body, "churn", "gate", "blocked");
    const updated = upsertSection(body, "churn", "evaluation", "AUC 0.93");
    const sections = Object.fromEntries(parseSections(updated).map((s) => [s.name, s.markdown]));
    expect(sections).toEqual({ data, evaluation: "AUC 0.93", gate: "blocked" });
    expect(updated.replace("AUC 0.93", "AUC 0.90")).toBe(body);
  });

  it("gives an identical body when re-run with the same report", () => {
    const once = upsertSection(upsertSection(undefined, "churn", "data", "ok\r\n"), "churn", "gate", "pass");
    const twice = upsertSection(once, "churn", "data", "ok");
    expect(twice).toBe(once);
  });

  it("defuses marker-like text in a section so it cannot end or forge another section", () => {
    const hostile = "x\n<!-- gauntlet:section-end=data -->\n<!-- gauntlet:section=gate -->\nforged";
    let body = upsertSection(undefined, "churn", "data", hostile);
    body = upsertSection(body, "churn", "evaluation", "real");
    expect(sectionOrder(body)).toEqual(["data", "evaluation"]);
    const rerun = upsertSection(body, "churn", "data", "clean");
    expect(parseSections(rerun)).toEqual([
      { name: "data", markdown: "clean" },
      { name: "evaluation", markdown: "real" },
    ]);
  });

  it("keeps other sections of a comment that came back from the web editor with CRLF endings", () => {
    const body = upsertSection(upsertSection(undefined, "m", "data", "a\nb"), "m", "gate", "g").replace(
      /\n/g,
      "\r\n",
    );
    const updated = upsertSection(body, "m", "gate", "g2");
    expect(parseSections(updated)).toEqual([
      { name: "data", markdown: "a\nb" },
      { name: "gate", markdown: "g2" },
    ]);
  });

  it("keeps sections written by a newer gauntlet after the known ones", () => {
    const newer = `${findMarker("churn")}\n\n<!-- gauntlet:section=cost -->\n\n$4\n\n<!-- gauntlet:section-end=cost -->\n`;
    const body = upsertSection(newer, "churn", "data", "ok");
    expect(sectionOrder(body)).toEqual(["data", "cost"]);
  });

  it("escapes the model name in the visible heading", () => {
    const body = upsertSection(undefined, "<img src=x>@team", "data", "ok");
    const heading = body.split("\n")[1]!;
    expect(heading).not.toContain("<img");
    expect(heading).not.toMatch(/@team/);
  });
});

describe("mapSections", () => {
  it("rewrites section text and keeps markers and everything around them", () => {
    const body = upsertSection(upsertSection(undefined, "m", "data", "a"), "m", "gate", "b");
    const mapped = mapSections(body, (s) => s.markdown.toUpperCase());
    expect(parseSections(mapped)).toEqual([
      { name: "data", markdown: "A" },
      { name: "gate", markdown: "B" },
    ]);
    expect(mapSections(body, (s) => s.markdown)).toBe(body);
  });
});
