import { inputRef, UserError } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { cliErrorText } from "./error-text.js";

describe("cliErrorText", () => {
  it("names the options where an action names its inputs", () => {
    const error = new UserError("no data to check", {
      file: "models/churn/model.yml",
      field: "evaluation.data",
      fix: `pass ${inputRef("data")} (a file or glob), or set evaluation.data in the manifest`,
    });
    expect(cliErrorText(error)).toBe(
      "models/churn/model.yml: evaluation.data: no data to check. Fix: pass `--data` (a file or glob), or set evaluation.data in the manifest",
    );
  });

  it("points a rejected token at GITHUB_TOKEN, not at workflow syntax", () => {
    const error = new UserError(
      "GitHub rejected the token (401 Bad credentials) while trying to list releases",
      {
        field: "github-token",
        fix: `pass a valid token, e.g. \`github-token: \${{ github.token }}\` (the default)`,
      },
    );
    const text = cliErrorText(error);
    expect(text).toBe(
      "GitHub rejected the token (401 Bad credentials) while trying to list releases. " +
        "Fix: set GITHUB_TOKEN (or GH_TOKEN) to a valid token, e.g. GITHUB_TOKEN=$(gh auth token)",
    );
    expect(text).not.toContain("${{");
  });
});
