import { UserError } from "../errors/user-error.js";
import { escapeMarkdown } from "./escape.js";

/** The sections of a model's sticky PR comment, in the order they appear. */
export type CommentSection = "data" | "evaluation" | "shadow" | "behaviour" | "gate";

/**
 * The fixed order of sections in the sticky comment, whichever action writes first.
 *
 * @example
 * COMMENT_SECTIONS.indexOf("shadow"); // 2
 */
export const COMMENT_SECTIONS: readonly CommentSection[] = [
  "data",
  "evaluation",
  "shadow",
  "behaviour",
  "gate",
];

/** Longest model name (after encoding) a marker may carry; manifests allow far less in practice. */
const MAX_MARKER_NAME = 200;

/**
 * The hidden marker that identifies the sticky comment of one model. Characters outside
 * `[A-Za-z0-9._-]` are percent-encoded, so no model name can close the HTML comment (`-->`),
 * break the line, or collide with another model's marker.
 *
 * @example
 * findMarker("churn"); // "<!-- gauntlet:model=churn -->"
 * findMarker("a-->b"); // "<!-- gauntlet:model=a--%3Eb -->"
 */
export function findMarker(model: string): string {
  const encoded = Array.from(model, (char) =>
    /^[A-Za-z0-9._-]$/.test(char)
      ? char
      : Array.from(new TextEncoder().encode(char), (byte) => `%${byte.toString(16).toUpperCase()}`).join(""),
  ).join("");
  if (encoded.length === 0 || encoded.length > MAX_MARKER_NAME) {
    throw new UserError(`model name must be 1 to ${MAX_MARKER_NAME} characters, got ${encoded.length}`, {
      field: "name",
      fix: "use a short name made of a-z, 0-9 and -, e.g. churn",
    });
  }
  return `<!-- gauntlet:model=${encoded} -->`;
}

const startMarker = (name: string) => `<!-- gauntlet:section=${name} -->`;
const endMarker = (name: string) => `<!-- gauntlet:section-end=${name} -->`;
const SECTION_PATTERN =
  /<!-- gauntlet:section=([a-z0-9-]+) -->\n([\s\S]*?)\n<!-- gauntlet:section-end=\1 -->/g;

/** One section of a parsed sticky comment: its name and the Markdown between its markers. */
export interface StickySection {
  name: string;
  markdown: string;
}

/**
 * Splits a sticky comment body into its sections, in body order. Text outside section markers
 * (the marker line and heading) is not returned: it is regenerated on every write.
 *
 * @example
 * parseSections(upsertSection(undefined, "churn", "gate", "ok"));
 * // [{ name: "gate", markdown: "ok" }]
 */
export function parseSections(body: string): StickySection[] {
  // A comment edited in GitHub's web editor comes back with CRLF line endings.
  return Array.from(body.replace(/\r\n?/g, "\n").matchAll(SECTION_PATTERN), (match) => ({
    name: match[1]!,
    markdown: normalise(match[2]!),
  }));
}

/**
 * Builds a sticky comment body from its sections, in the fixed section order (sections gauntlet
 * does not know yet, written by a newer version, keep their place after the known ones).
 *
 * @example
 * renderStickyComment("churn", [{ name: "data", markdown: "All 12 checks passed." }]);
 * // "<!-- gauntlet:model=churn -->\n## gauntlet · churn\n\n<!-- gauntlet:section=data -->\n\nAll 12 checks passed.\n\n<!-- gauntlet:section-end=data -->\n"
 */
export function renderStickyComment(model: string, sections: readonly StickySection[]): string {
  const rank = (name: string) => {
    const index = COMMENT_SECTIONS.indexOf(name as CommentSection);
    return index === -1 ? COMMENT_SECTIONS.length : index;
  };
  const ordered = sections
    .map((section, position) => ({ section, position }))
    .sort((a, b) => rank(a.section.name) - rank(b.section.name) || a.position - b.position)
    .map(
      ({ section }) => `${startMarker(section.name)}\n\n${section.markdown}\n\n${endMarker(section.name)}`,
    );
  const heading = `${findMarker(model)}\n## gauntlet · ${escapeMarkdown(model, 100)}`;
  return `${[heading, ...ordered].join("\n\n")}\n`;
}

/**
 * Rewrites one section of a model's sticky comment and leaves every other section byte for byte
 * as it was. Re-running with the same Markdown gives the same body, so callers can skip the
 * update. Escaping data-derived text inside `markdown` is the caller's job; marker-like text in
 * it is defused here so a section can never close or forge another.
 *
 * @example
 * const body = upsertSection(undefined, "churn", "evaluation", "AUC 0.91");
 * upsertSection(body, "churn", "data", "All checks passed.");
 * // data section first, then evaluation, under "<!-- gauntlet:model=churn -->"
 */
export function upsertSection(
  existingBody: string | undefined,
  model: string,
  section: CommentSection,
  markdown: string,
): string {
  const sections = existingBody === undefined ? [] : parseSections(existingBody);
  const fresh: StickySection = { name: section, markdown: defuseMarkers(normalise(markdown)) };
  const index = sections.findIndex((s) => s.name === section);
  if (index === -1) sections.push(fresh);
  else sections[index] = fresh;
  return renderStickyComment(model, sections);
}

/**
 * Rewrites the Markdown of every section in place and keeps everything else in the body, markers
 * included, exactly as it was.
 *
 * @example
 * mapSections(body, (section) => section.markdown.toUpperCase());
 */
export function mapSections(body: string, rewrite: (section: StickySection) => string): string {
  return body.replace(/\r\n?/g, "\n").replace(SECTION_PATTERN, (_whole, name: string, raw: string) => {
    const markdown = defuseMarkers(normalise(rewrite({ name, markdown: normalise(raw) })));
    return `${startMarker(name)}\n\n${markdown}\n\n${endMarker(name)}`;
  });
}

/** Line endings and surrounding blank lines would otherwise make identical reports differ. */
function normalise(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, "\n")
    .replace(/^\s*\n/, "")
    .trimEnd();
}

/** Section text is hidden-comment-safe once no `<!-- gauntlet:` sequence survives in it. */
function defuseMarkers(markdown: string): string {
  return markdown.replace(/<!--(\s*)gauntlet:/gi, "<!--$1gauntlet-quoted:");
}
