import { mapSections, parseSections } from "./sticky-comment.js";

/**
 * GitHub rejects issue and pull request comments longer than this many characters.
 *
 * @example
 * body.length <= COMMENT_LIMIT; // what fitCommentBody guarantees
 */
export const COMMENT_LIMIT = 65_536;

/** What a truncation dropped, for the note that says so. */
export interface Omitted {
  lines: number;
  characters: number;
}

/** Where the full report lives when a comment section had to be cut. */
export interface FitOptions {
  /** Shown in the truncation note; default: the job summary and the results artifact. */
  fullReport?: string;
}

const DEFAULT_FULL_REPORT = "the job summary of this workflow run and its `results-dir` artifact";

/**
 * Keeps a sticky comment under GitHub's comment limit by cutting the largest sections first, each
 * on a line boundary, never inside a code fence (a half Mermaid block renders as an error), with a
 * visible note saying how much was cut and where the full report is. Markers and section order
 * are never touched, so a later upsert still finds every section. A body that fits is returned
 * unchanged.
 *
 * @example
 * const fitted = fitCommentBody(hugeBody);
 * fitted.length <= 65_536; // true
 * fitted.includes("<!-- gauntlet:section-end=evaluation -->"); // true
 */
export function fitCommentBody(
  body: string,
  limit: number = COMMENT_LIMIT,
  options: FitOptions = {},
): string {
  if (body.length <= limit) return body;
  const where = options.fullReport ?? DEFAULT_FULL_REPORT;
  const note = (omitted: Omitted) =>
    `> [!WARNING]\n> Truncated: the last ${omitted.lines.toLocaleString("en-US")} lines ` +
    `(${omitted.characters.toLocaleString("en-US")} characters) of this section did not fit ` +
    `GitHub's ${limit.toLocaleString("en-US")}-character comment limit. The full report is in ${where}.`;

  const original = new Map(parseSections(body).map((s) => [s.name, s.markdown]));
  const current = new Map(original);
  const overhead = body.length - sum(current.values());
  const final = new Set<string>();
  while (overhead + sum(current.values()) > limit) {
    const largest = [...current]
      .filter(([name]) => !final.has(name))
      .sort((a, b) => b[1].length - a[1].length)[0];
    if (!largest) break;
    const [name, text] = largest;
    const excess = overhead + sum(current.values()) - limit;
    const cut = truncateMarkdown(original.get(name)!, Math.max(0, text.length - excess), note);
    if (cut.length >= text.length) final.add(name);
    else current.set(name, cut);
    if (cut.length > text.length - excess) final.add(name);
  }
  const fitted = mapSections(body, (section) => current.get(section.name) ?? section.markdown);
  if (fitted.length > limit) {
    throw new RangeError(`comment limit ${limit} is too small for the comment's markers and notes`);
  }
  return fitted;
}

/**
 * Shortens Markdown to at most `maxLength` characters, note included: whole lines only, never
 * inside a ``` or ~~~ fence, with open `<details>` blocks closed so the note stays visible.
 * Returns the text unchanged when it fits, and the note alone when not even one line fits.
 *
 * @example
 * truncateMarkdown("a\nb\nc", 4, (o) => `(${o.lines} cut)`); // "(3 cut)": not even a line fits
 * truncateMarkdown("aaaa\nbbbb\ncccc", 13, (o) => `(${o.lines} cut)`); // "aaaa\n\n(2 cut)"
 */
export function truncateMarkdown(
  markdown: string,
  maxLength: number,
  note: (omitted: Omitted) => string,
): string {
  if (markdown.length <= maxLength) return markdown;
  const lines = markdown.split("\n");
  const reserve = note({ lines: lines.length, characters: markdown.length }).length + 2;
  let fence: string | undefined;
  let details = 0;
  let length = 0;
  let best = { lines: 0, length: 0, details: 0 };
  for (const [index, line] of lines.entries()) {
    length += line.length + (index > 0 ? 1 : 0);
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && fence === undefined) fence = marker;
    else if (marker && fence !== undefined && marker[0] === fence[0] && marker.length >= fence.length) {
      fence = undefined;
    }
    if (fence === undefined) {
      details += (line.match(/<details\b/gi) ?? []).length - (line.match(/<\/details>/gi) ?? []).length;
      details = Math.max(0, details);
    }
    const closers = details * "\n</details>".length;
    if (length + closers + reserve > maxLength) break;
    if (fence === undefined) best = { lines: index + 1, length, details };
  }
  const kept = lines.slice(0, best.lines).join("\n").trimEnd();
  const omitted = { lines: lines.length - best.lines, characters: markdown.length - kept.length };
  const closed = kept + "\n</details>".repeat(best.details);
  return closed ? `${closed}\n\n${note(omitted)}` : note(omitted);
}

function sum(texts: Iterable<string>): number {
  let total = 0;
  for (const text of texts) total += text.length;
  return total;
}
