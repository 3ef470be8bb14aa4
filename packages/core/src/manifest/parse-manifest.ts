import { LineCounter, parseDocument } from "yaml";
import { formatFieldPath } from "./field-path.js";
import { ManifestError, type ManifestProblem } from "./manifest-error.js";
import { manifestRules } from "./manifest-rules.js";
import { type Manifest, manifestSchema } from "./schema.js";
import { expandedValueCount, MAX_EXPANDED_YAML_VALUES } from "./yaml-expansion.js";
import { lineOfPath } from "./yaml-lines.js";
import { problemsFromIssues } from "./zod-issues.js";

/**
 * Parses and validates the text of a `model.yml`. Returns the manifest with defaults filled in,
 * or throws one {@link ManifestError} (a `UserError`) listing every problem found — YAML syntax,
 * wrong types, unknown keys (with a "did you mean"), and rules between fields — each with its
 * line, field path, what was expected and a fix.
 *
 * @example
 * parseManifest(EXAMPLE_MANIFEST_YAML, "models/churn/model.yml").evaluation?.bootstrap; // 1000
 * parseManifest(textWithVersion13, "models/churn/model.yml");
 * // throws: models/churn/model.yml:2: version: a version must be semver x.y.z text, found number 1.3. Fix: write three numbers in quotes, e.g. version: "1.3.0"
 */
export function parseManifest(text: string, file: string): Manifest {
  // Characters never outnumber UTF-8 bytes, so a file within the byte limit passes here too.
  if (text.length > MAX_MANIFEST_BYTES) throw manifestTooLarge(file, text.length, "characters");
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const tabbed = [
      ...new Set(doc.errors.filter((e) => e.code === "TAB_AS_INDENT").map((e) => e.linePos?.[0].line)),
    ];
    // One tab derails the parse of every line after it; the tab is the one thing to fix.
    if (tabbed.length > 0) throw new ManifestError(file, [tabProblem(tabbed)]);
    throw new ManifestError(
      file,
      doc.errors.map((error) => ({
        field: "",
        line: error.linePos?.[0].line,
        problem: `invalid YAML: ${firstLine(error.message)}`,
        fix: "check indentation, colons and quotes on this line and the one before",
      })),
    );
  }
  const data = expandAliases(doc, file);
  const parsed = manifestSchema.safeParse(data);
  const located = parsed.success ? manifestRules(parsed.data) : problemsFromIssues(parsed.error.issues, data);
  const problems: ManifestProblem[] = located
    .map(({ path, problem, fix }) => ({
      field: formatFieldPath(path),
      line: lineOfPath(doc, lineCounter, path),
      problem,
      fix,
    }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (problems.length > 0 || !parsed.success) throw new ManifestError(file, problems);
  return parsed.data;
}

function tabProblem(lines: (number | undefined)[]): ManifestProblem {
  const more =
    lines.length > 1 ? ` (and ${lines.length - 1} more ${lines.length === 2 ? "line" : "lines"})` : "";
  return {
    field: "",
    line: lines[0],
    problem: `invalid YAML: this line is indented with a tab${more}; YAML indents with spaces only`,
    fix: "replace each tab at the start of a line with spaces (set your editor to insert spaces for .yml files)",
  };
}

/** The largest manifest gauntlet reads: 1 MiB, a thousand times a large real one. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * The error for a manifest over {@link MAX_MANIFEST_BYTES}, shared by {@link parseManifest} and
 * the loader that checks the file's size before reading it.
 *
 * @example
 * manifestTooLarge("models/churn/model.yml", 209_715_200, "bytes").message;
 * // "models/churn/model.yml: the manifest is 209715200 bytes; the limit is 1048576 (1 MiB). Fix: ..."
 */
export function manifestTooLarge(file: string, size: number, unit: "bytes" | "characters"): ManifestError {
  return new ManifestError(file, [
    {
      field: "",
      problem: `the manifest is ${size} ${unit}; the limit is ${MAX_MANIFEST_BYTES} (1 MiB)`,
      fix: "keep data out of model.yml: point at data files with evaluation.data, data or shadow.log instead of inlining them",
    },
  ]);
}

/** The document as plain values, once its aliases are known to expand to a bounded size. */
function expandAliases(doc: ReturnType<typeof parseDocument>, file: string): unknown {
  const values = expandedValueCount(doc);
  if (values > MAX_EXPANDED_YAML_VALUES) {
    throw new ManifestError(file, [
      {
        field: "",
        problem: `its aliases (*name) expand to ${Number.isFinite(values) ? `${values} values` : "an endless document"}; the limit is ${MAX_EXPANDED_YAML_VALUES}`,
        fix: "write the repeated parts out, or use fewer nested aliases: a manifest whose anchors repeat each other multiply in size (an alias bomb)",
      },
    ]);
  }
  try {
    // The size is bounded above, so yaml's alias-use counter (100 uses of one anchor) is not needed.
    return doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw new ManifestError(file, [
      {
        field: "",
        problem: `invalid YAML: ${firstLine(error.message)}`,
        fix: "define each anchor (&name) before the aliases (*name) that use it",
      },
    ]);
  }
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}
