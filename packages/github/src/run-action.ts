import { inspect } from "node:util";
import * as core from "@actions/core";
import { isUserError } from "@gauntlet/core";
import { githubError } from "./github-error.js";

/**
 * The one error wrapper every action's entry point uses. Runs `main`; a {@link UserError} becomes
 * one `::error` line (pointing at its file and line when it has them) and exit code 1, with no
 * stack, because the user can fix it; so does a failed GitHub call (translated by
 * {@link githubError}: the operation and the missing permission, or "GitHub is unavailable:
 * re-run"). The step's `passed` output is set to `false`, so later steps never read it as unset. Anything else thrown, including values that are not
 * `Error`s (a string, `undefined`), is a gauntlet bug: one `::error::gauntlet bug: …` line, the
 * stack in a collapsed group for the bug report, and exit code 1. Nothing thrown passes silently.
 *
 * @example
 * // actions/validate-data/src/index.ts
 * import { runAction } from "@gauntlet/github";
 * import { run } from "./main.js";
 * await runAction(run);
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    core.setOutput("passed", "false");
    reportFailure(error);
  }
}

/**
 * Reports a thrown value the way {@link runAction} does and sets exit code 1. Exposed for entry
 * points that must keep running after a failure (for example, to upload partial results).
 *
 * @example
 * try { await publish(); } catch (error) { reportFailure(error); }
 */
export function reportFailure(thrown: unknown): void {
  process.exitCode = 1;
  const error = githubError(thrown);
  if (isUserError(error)) {
    core.error(error.message, {
      title: "gauntlet",
      ...(error.file === undefined ? {} : { file: error.file }),
      ...(error.line === undefined ? {} : { startLine: error.line }),
    });
    return;
  }
  core.error(`gauntlet bug: ${describe(error)}`, { title: "gauntlet bug" });
  core.startGroup("gauntlet bug details (please include them when reporting this bug)");
  core.info(
    error instanceof Error
      ? inspect(error, { depth: 4 })
      : `a non-Error value was thrown (${typeof error}): ${inspect(error)}; there is no stack trace`,
  );
  core.info(`node ${process.version}, ${process.platform}-${process.arch}`);
  core.endGroup();
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error || "(empty string thrown)";
  return inspect(error, { depth: 2, breakLength: Number.POSITIVE_INFINITY });
}
