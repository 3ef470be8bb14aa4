import { LineCounter, parseDocument } from "yaml";
import { formatFieldPath } from "./field-path.js";
import { ManifestError, type ManifestProblem } from "./manifest-error.js";
import { manifestRules } from "./manifest-rules.js";
import { type Manifest, manifestSchema } from "./schema.js";
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
 * // throws: models/churn/model.yml:2: version: expected text, found number 1.3. Fix: quote it: "1.3"
 */
export function parseManifest(text: string, file: string): Manifest {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
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
  const data: unknown = doc.toJS();
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

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}
