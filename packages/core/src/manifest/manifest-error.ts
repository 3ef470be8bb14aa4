import { formatUserError, UserError } from "../errors/user-error.js";

/** One thing wrong with a manifest, located by field path and line. */
export interface ManifestProblem {
  /** Field path, e.g. `evaluation.slices[2].bins` (empty for the whole document). */
  field: string;
  /** 1-based line in the file, when the YAML document locates it. */
  line?: number;
  /** What is wrong, including what was expected. */
  problem: string;
  /** What to do about it. */
  fix?: string;
}

const MAX_LISTED = 20;

/**
 * Every problem of one manifest file as a single {@link UserError}: one problem reads like any
 * user error (`file:line: field: problem. Fix: fix`); several are counted and listed one per line.
 * `problems` keeps them apart for callers that annotate each line.
 *
 * @example
 * const error = new ManifestError("models/churn/model.yml", [
 *   { field: "version", line: 2, problem: "expected a semver version such as 1.3.0", fix: "write 1.3.0" },
 * ]);
 * error.message; // "models/churn/model.yml:2: version: expected a semver version such as 1.3.0. Fix: write 1.3.0"
 */
export class ManifestError extends UserError {
  readonly problems: readonly ManifestProblem[];

  constructor(file: string, problems: readonly ManifestProblem[]) {
    const [first] = problems;
    if (problems.length === 1 && first) {
      super(first.problem, { file, line: first.line, field: first.field || undefined, fix: first.fix });
    } else {
      const listed = problems.slice(0, MAX_LISTED).map((p) => `- ${formatProblem(file, p)}`);
      if (problems.length > MAX_LISTED) listed.push(`- ...and ${problems.length - MAX_LISTED} more`);
      super(`${problems.length} problems:\n${listed.join("\n")}`, { file });
    }
    this.problems = problems;
  }
}

/**
 * One problem as one line: `file:line: field: problem. Fix: fix`.
 *
 * @example
 * formatProblem("m.yml", { field: "name", line: 1, problem: "expected lowercase letters" });
 * // "m.yml:1: name: expected lowercase letters"
 */
export function formatProblem(file: string, p: ManifestProblem): string {
  return formatUserError(p.problem, { file, line: p.line, field: p.field || undefined, fix: p.fix });
}
