import { UserError } from "../errors/user-error.js";

/**
 * A result file the site reads (`evaluation.json`, `gate.json`, `drift.json` from a release or a
 * results folder), checked to carry the expected `schema` tag; anything else is a
 * {@link UserError} naming the file, so a stray JSON file never renders as numbers it does not hold.
 *
 * @example
 * siteResult<EvaluationResult>(json, "gauntlet/evaluation@1", "evaluation.json of release churn/v1.2.0");
 */
export function siteResult<T>(value: unknown, schema: string, file: string): T {
  const found = (value as { schema?: unknown } | null)?.schema;
  if (typeof value !== "object" || value === null || found !== schema) {
    throw new UserError(
      `expected a ${schema} result, found ${typeof found === "string" ? found : "no schema tag"}`,
      {
        file,
        field: "schema",
        fix: `attach the ${schema.replace(/^gauntlet\/|@\d+$/g, "")}.json that gauntlet wrote, unchanged`,
      },
    );
  }
  return value as T;
}
