/**
 * Makes data-derived text (slice values, column names, file names) safe inside GitHub Markdown:
 * no mentions (`@team` pings nobody), no issue/PR cross-references, no HTML, no broken tables,
 * no code spans or links, and a single line. The result displays the same characters the data had.
 *
 * @example
 * escapeMarkdown("@everyone <script>|`x`");
 * // "@\u2060everyone &lt;script&gt;\\|\\`x\\`"
 */
export function escapeMarkdown(text: string, maxLength = 200): string {
  const clipped = text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
  return (
    clipped
      .replace(/[\r\n\t]+/g, " ")
      // Backslash first, so the escapes added below are not themselves escaped.
      .replace(/\\/g, "\\\\")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/([|`*_~[\]()#!{}$^=+-])/g, "\\$1")
      // A word joiner after @ stops GitHub from turning it into a mention.
      .replace(/@/g, "@\u2060")
      // `#123` and `GH-123` would link issues: the escaped `#` above covers the first; break the second.
      .replace(/\b(GH)-(\d)/gi, "$1\u2060-$2")
      // Bare URLs would autolink: break the scheme so they show as text.
      .replace(/:\/\//g, ":\u2060//")
  );
}

/**
 * Escapes text for use inside an inline code span: backticks cannot be escaped there, so the
 * span is fenced with more backticks than the text contains.
 *
 * @example
 * inlineCode("a`b"); // "`` a`b ``"
 */
export function inlineCode(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, " ");
  const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = longestRun > 0 || oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}
