/**
 * A mistake the user can fix: a bad manifest, bad data, a model whose signature does not match
 * the manifest, a missing permission. It names where the problem is and how to fix it, and is
 * reported as one `::error` line with exit code 1, never as a stack trace.
 *
 * Anything that is not a `UserError` is a bug in gauntlet and is reported with its stack.
 *
 * @example
 * throw new UserError("expected ascending numbers", {
 *   file: "models/churn/model.yml",
 *   field: "evaluation.slices[2].bins",
 *   fix: "sort the bin edges, e.g. [0, 6, 12, 24]",
 * });
 * // message: "models/churn/model.yml: evaluation.slices[2].bins: expected ascending numbers. Fix: sort the bin edges, e.g. [0, 6, 12, 24]"
 */
export class UserError extends Error {
  override readonly name = "UserError";
  readonly problem: string;
  readonly file: string | undefined;
  readonly field: string | undefined;
  readonly fix: string | undefined;
  readonly line: number | undefined;

  constructor(problem: string, where: UserErrorLocation = {}) {
    super(formatUserError(problem, where));
    this.problem = problem;
    this.file = where.file;
    this.field = where.field;
    this.fix = where.fix;
    this.line = where.line;
  }
}

/** Where a user mistake is and how to fix it. */
export interface UserErrorLocation {
  /** Path of the file at fault, repo-relative where possible. */
  file?: string;
  /** Dotted field path inside the file (`evaluation.slices[2].bins`) or a column name. */
  field?: string;
  /** 1-based line in the file, when known (used for annotations). */
  line?: number;
  /** What the user should do. */
  fix?: string;
}

/**
 * The one-line text of a user error: `file: field: problem. Fix: fix`.
 *
 * @example
 * formatUserError("missing", { file: "a.yml", field: "name", fix: "add a name" });
 * // "a.yml: name: missing. Fix: add a name"
 */
export function formatUserError(problem: string, where: UserErrorLocation): string {
  const place = [where.file && (where.line ? `${where.file}:${where.line}` : where.file), where.field]
    .filter(Boolean)
    .join(": ");
  const text = place ? `${place}: ${problem}` : problem;
  return where.fix ? `${text.replace(/\.$/, "")}. Fix: ${where.fix}` : text;
}

/**
 * True when `error` is a {@link UserError}, also across bundle copies of this module.
 *
 * @example
 * isUserError(new UserError("x")); // true
 * isUserError(new TypeError("x")); // false
 */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError || (error instanceof Error && error.name === "UserError");
}
