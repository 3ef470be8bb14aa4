import { describe, expect, it } from "vitest";
import { forCommandLine, inputRef } from "./input-ref.js";
import { UserError } from "./user-error.js";

describe("inputRef and forCommandLine", () => {
  it("names an input the action's way and the same text the command line's way", () => {
    const error = new UserError("no data to check", {
      file: "models/churn/model.yml",
      field: "evaluation.data",
      fix: `pass ${inputRef("data")} (a file or glob), or set evaluation.data in the manifest`,
    });
    expect(error.message).toBe(
      "models/churn/model.yml: evaluation.data: no data to check. Fix: pass the `data` input (a file or glob), or set evaluation.data in the manifest",
    );
    expect(forCommandLine(error.message)).toBe(
      "models/churn/model.yml: evaluation.data: no data to check. Fix: pass `--data` (a file or glob), or set evaluation.data in the manifest",
    );
  });

  it("rewrites every reference and leaves other text alone", () => {
    expect(forCommandLine(`${inputRef("results-dir")} and ${inputRef("fail-on")}`)).toBe(
      "`--results-dir` and `--fail-on`",
    );
    expect(forCommandLine("the model input `numeric` is missing")).toBe(
      "the model input `numeric` is missing",
    );
  });
});
