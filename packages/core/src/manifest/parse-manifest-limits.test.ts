import { describe, expect, it } from "vitest";
import { EXAMPLE_MANIFEST_YAML } from "./example.js";
import { ManifestError } from "./manifest-error.js";
import { parseManifest } from "./parse-manifest.js";

const FILE = "models/churn/model.yml";

function errorFor(text: string): ManifestError {
  try {
    parseManifest(text, FILE);
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error("expected parseManifest to throw");
}

function exampleWith(from: string, to: string): string {
  expect(EXAMPLE_MANIFEST_YAML).toContain(from);
  return EXAMPLE_MANIFEST_YAML.replace(from, to);
}

describe("parseManifest: monitoring.window", () => {
  it("refuses a zero window in the schema, with its line and a fix", () => {
    for (const zero of ["0h", "0d"]) {
      const error = errorFor(exampleWith("  window: 1d", `  window: ${zero}`));
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatchObject({
        field: "monitoring.window",
        problem: `a window must be longer than zero, found text "${zero}"`,
        fix: "give a window longer than zero: a number and a unit (w, d, h, m, s), e.g. 1d or 6h",
      });
      expect(error.problems[0]!.line).toBeGreaterThan(1);
    }
  });

  it("still reports text that is not a duration once, as before", () => {
    const error = errorFor(exampleWith("  window: 1d", "  window: daily"));
    expect(error.problems.map((p) => p.problem)).toEqual([
      'expected a duration such as 1d or 12h, found text "daily"',
    ]);
  });

  it("accepts a positive window", () => {
    expect(parseManifest(exampleWith("  window: 1d", "  window: 6h"), FILE).monitoring?.window).toBe("6h");
  });
});
