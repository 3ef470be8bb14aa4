import { escapeHtml } from "./escape-html.js";

/** Inline Markdown: code spans, `**bold**`, backslash escapes and the three entities the report escaper writes. */
function inline(md: string): string {
  let out = "";
  let bold = false;
  let i = 0;
  while (i < md.length) {
    const c = md[i] as string;
    const next = md[i + 1];
    if (c === "\\" && next !== undefined && /[!-/:-@[-`{-~]/.test(next)) {
      out += escapeHtml(next);
      i += 2;
      continue;
    }
    if (c === "`") {
      const fence = /^`+/.exec(md.slice(i))?.[0] ?? "`";
      const end = md.indexOf(fence, i + fence.length);
      if (end > 0) {
        out += `<code>${escapeHtml(md.slice(i + fence.length, end).trim())}</code>`;
        i = end + fence.length;
        continue;
      }
    }
    if (md.startsWith("**", i)) {
      out += bold ? "</strong>" : "<strong>";
      bold = !bold;
      i += 2;
      continue;
    }
    // Known entities are already HTML: keep them as written rather than showing "&amp;lt;".
    const entity = c === "&" ? /^&(?:amp|lt|gt|quot|#39);/.exec(md.slice(i))?.[0] : undefined;
    if (entity) {
      out += entity;
      i += entity.length;
      continue;
    }
    out += escapeHtml(c);
    i += 1;
  }
  return bold ? `${out}</strong>` : out;
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => inline(cell.trim()));

/**
 * The Markdown gauntlet writes (model cards: headings, paragraphs, `-` lists, pipe tables, code
 * spans and fenced code blocks, bold) as HTML, every character of text escaped, so a card from a release body renders
 * without a Markdown library and without passing any HTML through. Headings move down one level
 * (`#` → `<h2>`) to sit under the page's own title. Anything else shows as its text.
 *
 * @example
 * markdownToHtml("# churn v1.2.0\n\n- region \\| AE <b>"); // "<h2>churn v1.2.0</h2>\n<ul><li>region | AE &lt;b&gt;</li></ul>"
 */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const blocks: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    // A one-line HTML comment (the card's hidden release record) is hidden, as GitHub hides it.
    if (line.trim() === "" || /^<!--.*-->$/.test(line.trim())) {
      i += 1;
    } else if (/^```/.test(line)) {
      // A fenced code block (the card's `gh attestation verify` command): its text, verbatim.
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !/^```/.test(lines[i] as string)) code.push(lines[i++] as string);
      i += 1;
      blocks.push(`<pre><code>${escapeHtml(code.join("\n"))}</code></pre>`);
    } else if (heading) {
      const level = Math.min((heading[1] as string).length + 1, 6);
      blocks.push(`<h${level}>${inline((heading[2] as string).trim())}</h${level}>`);
      i += 1;
    } else if (line.trimStart().startsWith("|")) {
      const rows: string[] = [];
      while (i < lines.length && (lines[i] as string).trimStart().startsWith("|"))
        rows.push(lines[i++] as string);
      const separator = rows[1] !== undefined && /^\s*\|?\s*:?-{3,}/.test(rows[1]);
      const head = separator
        ? `<thead><tr>${cells(rows[0] as string)
            .map((c) => `<th>${c}</th>`)
            .join("")}</tr></thead>`
        : "";
      const body = (separator ? rows.slice(2) : rows)
        .map(
          (row) =>
            `<tr>${cells(row)
              .map((c) => `<td>${c}</td>`)
              .join("")}</tr>`,
        )
        .join("");
      blocks.push(`<div class="scroll"><table>${head}<tbody>${body}</tbody></table></div>`);
    } else if (/^\s*[-*]\s+/.test(line)) {
      const items: string[] = [];
      while (i < lines.length && /^\s*[-*]\s+/.test(lines[i] as string)) {
        items.push(`<li>${inline((lines[i++] as string).replace(/^\s*[-*]\s+/, ""))}</li>`);
      }
      blocks.push(`<ul>${items.join("")}</ul>`);
    } else {
      const paragraph: string[] = [];
      while (
        i < lines.length &&
        (lines[i] as string).trim() !== "" &&
        !/^(#{1,6}\s|\s*\||\s*[-*]\s+)/.test(lines[i] as string)
      ) {
        paragraph.push((lines[i++] as string).trim());
      }
      blocks.push(`<p>${inline(paragraph.join(" "))}</p>`);
    }
  }
  return blocks.join("\n");
}
