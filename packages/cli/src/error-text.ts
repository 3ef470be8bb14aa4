import { forCommandLine, formatUserError, type UserError } from "@gauntlet/core";

/**
 * A user error as the command line prints it. Fixes are written for the actions: inputs become
 * the options of the same name (see `forCommandLine`), and the `github-token` input, which the
 * command line does not have, becomes the `GITHUB_TOKEN` it reads the token from.
 *
 * @example
 * cliErrorText(new UserError("GitHub rejected the token (401 Bad credentials)", { field: "github-token", fix: "pass a valid token" }));
 * // "GitHub rejected the token (401 Bad credentials). Fix: set GITHUB_TOKEN (or GH_TOKEN) to a valid token, e.g. GITHUB_TOKEN=$(gh auth token)"
 */
export function cliErrorText(error: UserError): string {
  if (error.field === "github-token") {
    return formatUserError(error.problem, {
      ...(error.file ? { file: error.file } : {}),
      ...(error.line ? { line: error.line } : {}),
      fix: "set GITHUB_TOKEN (or GH_TOKEN) to a valid token, e.g. GITHUB_TOKEN=$(gh auth token)",
    });
  }
  return forCommandLine(error.message);
}
