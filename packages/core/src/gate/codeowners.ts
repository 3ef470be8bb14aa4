/** One rule of a CODEOWNERS file: a path pattern and who owns what it matches. */
export interface CodeownersRule {
  pattern: string;
  /** `@user`, `@org/team` or e-mail addresses; empty when the line un-owns the paths. */
  owners: string[];
  /** 1-based line in the file. */
  line: number;
  match: (path: string) => boolean;
}

/**
 * Parses a CODEOWNERS file as GitHub reads it: one `pattern owner…` rule per line, `#` starting a
 * comment (`\#` is a literal `#`), blank lines ignored. Patterns follow GitHub's subset of
 * gitignore: a leading `/` anchors to the repository root, a pattern with no other `/` matches at
 * any depth, a trailing `/` (or a name without wildcards) matches everything under a directory,
 * `*` matches within one path segment (`docs/*` owns the files in docs/, not deeper), `**` across
 * segments, `?` one character; `!` negation and `[ ]` ranges are not supported by GitHub and such
 * lines are skipped.
 *
 * @example
 * parseCodeowners("* @acme/all\nmodels/churn/ @acme/risk-ml octocat@example.com").map((r) => r.owners);
 * // [["@acme/all"], ["@acme/risk-ml", "octocat@example.com"]]
 */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = stripComment(raw).trim();
    if (line === "") return;
    const [pattern, ...owners] = line.split(/\s+/);
    if (!pattern || pattern.startsWith("!") || /[[\]]/.test(pattern)) return;
    const unescaped = pattern.replace(/\\#/g, "#");
    rules.push({ pattern: unescaped, owners, line: index + 1, match: matcher(unescaped) });
  });
  return rules;
}

/**
 * The owners of a repository path: the owners of the last rule that matches it (later rules win,
 * as on GitHub), or `undefined` when no rule matches. A matching rule with no owners un-owns the
 * path (`[]`).
 *
 * @example
 * codeownersOf(parseCodeowners("* @acme/all\nmodels/ @acme/ml"), "models/churn/model.yml"); // ["@acme/ml"]
 */
export function codeownersOf(rules: readonly CodeownersRule[], path: string): CodeownersRule | undefined {
  const clean = path.replace(/^\.?\//, "");
  for (let i = rules.length - 1; i >= 0; i--) if (rules[i]!.match(clean)) return rules[i];
  return undefined;
}

function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "#" && line[i - 1] !== "\\") return line.slice(0, i);
  }
  return line;
}

/** A gitignore-style pattern as a test on a repository-relative file path. */
function matcher(pattern: string): (path: string) => boolean {
  let body = pattern;
  const directory = body.endsWith("/");
  if (directory) body = body.slice(0, -1);
  const anchored = body.startsWith("/") || body.includes("/");
  body = body.replace(/^\//, "");
  let source = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "*" && body[i + 1] === "*") {
      // `**/` any number of leading directories; `/**` everything below; lone `**` anything.
      if (body[i + 2] === "/") {
        source += "(?:.*/)?";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  // A pattern names a file, or a directory and everything below it; but a last segment with a
  // wildcard matches files of that directory only (GitHub: `docs/*` owns `docs/a.md`, not
  // `docs/build-app/troubleshooting.md`).
  const last = body.slice(body.lastIndexOf("/") + 1);
  const below = directory ? "/.*" : /[*?]/.test(last) && last !== "**" ? "" : "(?:/.*)?";
  const prefix = anchored ? "^" : "^(?:.*/)?";
  const regex = new RegExp(`${prefix}${source}${below}$`);
  return (path) => regex.test(path);
}
