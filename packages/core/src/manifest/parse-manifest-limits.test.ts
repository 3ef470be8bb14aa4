import { describe, expect, it } from "vitest";
import { EXAMPLE_MANIFEST_YAML } from "./example.js";
import { ManifestError } from "./manifest-error.js";
import { MAX_MANIFEST_BYTES, parseManifest } from "./parse-manifest.js";

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

/** A manifest whose gate repeats one anchored rule `uses` times. */
function manifestReusing(uses: number): string {
  const rules = [
    "    - &floor { metric: roc_auc, min: 0.5 }",
    ...Array.from({ length: uses }, () => "    - *floor"),
  ];
  return exampleWith("  rules:\n", `  rules:\n${rules.join("\n")}\n`);
}

/** The classic "billion laughs": each anchor is a list of ten aliases of the one before. */
function aliasBomb(levels: number): string {
  const lines = ['description: &l0 "lol"'];
  for (let level = 1; level <= levels; level++) {
    lines.push(`x${level}: &l${level} [${Array.from({ length: 10 }, () => `*l${level - 1}`).join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

describe("parseManifest: aliases and size", () => {
  it("accepts an anchor reused more than 100 times (yaml's default guard refused it)", () => {
    const manifest = parseManifest(manifestReusing(150), FILE);
    expect(manifest.gate?.rules.length).toBeGreaterThan(150);
    expect(manifest.gate?.rules[150]).toEqual(manifest.gate?.rules[0]);
  });

  it("refuses an alias bomb with one clear error before expanding it", () => {
    const started = Date.now();
    const error = errorFor(aliasBomb(9));
    expect(error.problems).toHaveLength(1);
    // Level k holds (10^(k+1) - 1) / 9 values; the nine levels sum to 1,234,567,899, plus the
    // root map, the description pair and the nine keys x1..x9.
    expect(error.problems[0]!.problem).toBe(
      "its aliases (*name) expand to 1234567911 values; the limit is 1000000",
    );
    expect(error.problems[0]!.fix).toMatch(/alias bomb/);
    expect(Date.now() - started).toBeLessThan(2_000);
    // Five levels (111,112 values) is merely large: it parses, and the schema has its say.
    expect(errorFor(aliasBomb(5)).problems[0]!.problem).not.toMatch(/aliases/);
  });

  it("refuses an alias used before its anchor as invalid YAML, not a gauntlet bug", () => {
    const error = errorFor("name: *later\nversion: &later 1.0.0\n");
    expect(error.message).toMatch(/invalid YAML/);
  });

  it("refuses text over the 1 MiB limit before parsing it", () => {
    const big = `${EXAMPLE_MANIFEST_YAML}\n# ${"x".repeat(MAX_MANIFEST_BYTES)}\n`;
    const error = errorFor(big);
    expect(error.problems[0]!.problem).toBe(
      `the manifest is ${big.length} characters; the limit is 1048576 (1 MiB)`,
    );
  });
});
