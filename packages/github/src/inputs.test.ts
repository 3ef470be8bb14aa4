import { isUserError } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { booleanInput, commonInputs, inputEnvName, readInputs } from "./inputs.js";

const schema = z.object({ ...commonInputs, "max rows": z.coerce.number().int().positive().optional() });
const base = { INPUT_MANIFEST: "models/churn/model.yml", "INPUT_GITHUB-TOKEN": "ghs_secret" };

function userErrorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    return error as Error;
  }
  throw new Error("expected a UserError");
}

describe("inputEnvName", () => {
  it("derives the variable the runner sets, as @actions/core does", () => {
    expect(inputEnvName("fail-on")).toBe("INPUT_FAIL-ON");
    expect(inputEnvName("max rows")).toBe("INPUT_MAX_ROWS");
  });
});

describe("readInputs", () => {
  it("applies the DESIGN.md defaults when inputs are absent or empty", () => {
    const inputs = readInputs(schema, { ...base, "INPUT_RESULTS-DIR": "", INPUT_COMMENT: "  " });
    expect(inputs).toEqual({
      manifest: "models/churn/model.yml",
      "github-token": "ghs_secret",
      "results-dir": ".gauntlet",
      comment: true,
      "fail-on": "error",
    });
  });

  it("reads given values, trimmed, including names with spaces", () => {
    const inputs = readInputs(schema, { ...base, "INPUT_FAIL-ON": " never ", INPUT_MAX_ROWS: "500" });
    expect(inputs["fail-on"]).toBe("never");
    expect(inputs["max rows"]).toBe(500);
  });

  it("accepts the YAML 1.2 core booleans and rejects anything else", () => {
    for (const [raw, value] of [
      ["true", true],
      ["True", true],
      ["TRUE", true],
      ["false", false],
      ["FALSE", false],
    ] as const) {
      expect(readInputs(schema, { ...base, INPUT_COMMENT: raw }).comment).toBe(value);
    }
    const error = userErrorOf(() => readInputs(schema, { ...base, INPUT_COMMENT: "yes" }));
    expect(error.message).toContain("input 'comment': expected true or false, got 'yes'");
    expect(z.object({ flag: booleanInput() }).safeParse({ flag: "1" }).success).toBe(false);
  });

  it("names the input, the accepted values, the bad value, the workflow file and the fix", () => {
    const error = userErrorOf(() =>
      readInputs(schema, {
        ...base,
        "INPUT_FAIL-ON": "sometimes",
        GITHUB_WORKFLOW_REF: "acme/models/.github/workflows/ci.yml@refs/pull/7/merge",
      }),
    );
    expect(error.message).toBe(
      ".github/workflows/ci.yml: input 'fail-on': expected one of error, warning, never, got 'sometimes'. " +
        "Fix: set `fail-on:` to one of error, warning, never under `with:` of this step in the workflow",
    );
  });

  it("reports every bad input at once and a missing required one", () => {
    const error = userErrorOf(() => readInputs(schema, { "INPUT_GITHUB-TOKEN": "x", INPUT_MAX_ROWS: "-3" }));
    expect(error.message).toContain("input 'manifest' is required");
    expect(error.message).toMatch(/input 'max rows': .*got '-3'/);
  });

  it("never echoes a secret-looking input", () => {
    const strict = z.object({ "github-token": z.string().startsWith("ghs_") });
    const error = userErrorOf(() => readInputs(strict, { "INPUT_GITHUB-TOKEN": "hunter2" }));
    expect(error.message).toContain("input 'github-token'");
    expect(error.message).not.toContain("hunter2");
  });
});
