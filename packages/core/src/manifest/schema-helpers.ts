import * as z from "zod";
import { closestMatch } from "./suggest.js";

/**
 * Separates the problem from its fix inside a schema's custom error message, so each message is
 * written once, beside its field, and still becomes a `UserError` with a separate `fix`.
 *
 * @example
 * `expected a semver version such as 1.3.0${FIX_SEPARATOR}write three numbers`;
 */
export const FIX_SEPARATOR = " | fix: ";

/**
 * A schema error message carrying its fix.
 *
 * @example
 * withFix("expected 64 hex digits", "paste the output of `sha256sum model.onnx`");
 * // "expected 64 hex digits | fix: paste the output of `sha256sum model.onnx`"
 */
export function withFix(problem: string, fix: string): string {
  return `${problem}${FIX_SEPARATOR}${fix}`;
}

/**
 * A strict object (unknown keys are errors) whose unknown-key message suggests the closest known
 * key, so `mni: 0.8` reads `unknown field "mni". Fix: did you mean "min"?`. `misplaced` gives
 * the message (with its fix) for a key that belongs to a sibling shape of a union, since zod then
 * reports only this shape's view: `max-drop` on a rule without `vs` is a change rule missing `vs`.
 *
 * @example
 * const range = strictObject({ min: z.number(), max: z.number() });
 * range.safeParse({ mni: 1 }); // issue message: unknown field "mni" | fix: did you mean "min"? ...
 */
export function strictObject<Shape extends z.ZodRawShape>(
  shape: Shape,
  misplaced: Record<string, string> = {},
): z.ZodObject<Shape, z.core.$strict> {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return undefined;
      const hinted = issue.keys.find((key) => Object.hasOwn(misplaced, key));
      return hinted === undefined ? unknownKeysMessage(issue.keys, known) : misplaced[hinted];
    },
  });
}

/**
 * The message for unknown keys of an object whose known keys are `known`.
 *
 * @example
 * unknownKeysMessage(["mni"], ["min", "max"]);
 * // 'unknown field "mni" | fix: did you mean "min"? Allowed here: min, max'
 */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  const guesses = keys.map((key) => [key, closestMatch(key, known)] as const);
  const problem = `unknown field${keys.length > 1 ? "s" : ""} ${keys.map((key) => JSON.stringify(key)).join(", ")}`;
  const fixes = guesses.map(([key, guess]) =>
    guess ? `did you mean "${guess}"${keys.length > 1 ? ` for "${key}"` : ""}?` : `remove "${key}".`,
  );
  return withFix(problem, `${fixes.join(" ")} Allowed here: ${known.join(", ")}`);
}

/** A column name as it appears in the data (nested JSON fields are dotted, `inputs.age`). */
export const columnName = z.string().min(1);

/** 64 lowercase or uppercase hex digits. */
export const sha256 = z
  .string()
  .regex(
    /^[0-9a-fA-F]{64}$/,
    withFix("expected a SHA-256 digest of 64 hex digits", "write the output of `sha256sum <file>`, quoted"),
  );

/** A GitHub user (`octocat`) or team (`@org/team`), optionally with a leading `@` for users. */
export const githubPrincipal = z
  .string()
  .regex(
    /^@?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9._-]+)?$/,
    withFix(
      "expected a GitHub user or team",
      'write a login such as octocat or a team such as "@acme/risk-ml"',
    ),
  );
