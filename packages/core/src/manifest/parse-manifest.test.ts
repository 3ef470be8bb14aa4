import { describe, expect, it } from "vitest";
import { isUserError } from "../errors/user-error.js";
import { EXAMPLE_MANIFEST_YAML } from "./example.js";
import { ManifestError } from "./manifest-error.js";
import { MAX_MANIFEST_BYTES, parseManifest } from "./parse-manifest.js";

const FILE = "models/churn/model.yml";

/** The message of the error `parseManifest` throws for `text`. */
function errorFor(text: string): ManifestError {
  try {
    parseManifest(text, FILE);
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error("expected parseManifest to throw");
}

/** The example with one substring replaced (asserting the substring exists, so the test can fail). */
function exampleWith(from: string, to: string): string {
  expect(EXAMPLE_MANIFEST_YAML).toContain(from);
  return EXAMPLE_MANIFEST_YAML.replace(from, to);
}

describe("parseManifest", () => {
  it("parses the complete DESIGN.md example and fills defaults", () => {
    const m = parseManifest(EXAMPLE_MANIFEST_YAML, FILE);
    expect(m.name).toBe("churn");
    expect(m.artefact.inputs).toEqual({
      numeric: ["tenure_months", "monthly_charges", "support_calls", "data_gb", "age"],
      region: "region",
      plan: "plan",
    });
    expect(m.artefact.positive).toBe(1);
    expect(m.data?.columns["region"]).toMatchObject({ type: "category", unseen: "error", nullable: true });
    expect(m.data?.["duplicate-rows"]).toBe("warn");
    expect(m.evaluation?.slices[1]).toEqual({ column: "tenure_months", bins: [0, 6, 12, 24, 60] });
    expect(m.evaluation?.slices[2]).toEqual(["region", "plan"]);
    expect(m.gate?.rules).toHaveLength(5);
    expect(m.monitoring?.drift).toEqual({ method: "auto", warn: 0.1, alert: 0.2 });
    expect(m.limitations).toHaveLength(1);
  });

  it("fills documented defaults for a minimal manifest", () => {
    const m = parseManifest(
      [
        "name: price",
        "version: 0.1.0",
        "task: regression",
        "owner: octocat",
        "artefact: { path: m.onnx, outputs: { value: variable } }",
        "evaluation: { data: e.csv, label: y, metrics: [mae] }",
        "monitoring: { predictions: p.jsonl }",
      ].join("\n"),
      FILE,
    );
    expect(m.artefact.inputs).toBe("auto");
    expect(m.evaluation).toMatchObject({ "min-slice-size": 30, bootstrap: 1000, threshold: 0.5, slices: [] });
    expect(m.monitoring).toMatchObject({
      reference: "production",
      drift: { method: "auto" },
    });
    // Without warn/alert, drift-check derives thresholds from the reference's own variability.
    expect(m.monitoring?.drift.warn).toBeUndefined();
  });

  it("names file, line, field and a did-you-mean fix for an unknown key", () => {
    const error = errorFor(exampleWith("{ metric: roc_auc, min: 0.80 }", "{ metric: roc_auc, mni: 0.80 }"));
    expect(isUserError(error)).toBe(true);
    expect(error.message).toBe(
      'models/churn/model.yml:54: gate.rules[0].mni: unknown field "mni". Fix: did you mean "min"? ' +
        "Allowed here: metric, min, max, slices, if-undefined",
    );
    expect(error.line).toBe(54);
  });

  it("reports one problem for a misspelt required key, not also the missing key", () => {
    const error = errorFor(exampleWith("{ column: tenure_months,", "{ colum: tenure_months,"));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain(
      'evaluation.slices[1].colum: unknown field "colum". Fix: did you mean "column"?',
    );
  });

  it("reports a wrong type with what was found and how to fix it", () => {
    const error = errorFor(exampleWith("rows: { min: 1000 }", "rows: { min: many }"));
    expect(error.message).toBe(
      'models/churn/model.yml:30: data.rows.min: expected a number, found text "many". Fix: write a number',
    );
  });

  it("rejects a version that is not semver", () => {
    expect(errorFor(exampleWith("version: 1.3.0", "version: v1.3")).message).toContain(
      'models/churn/model.yml:2: version: expected a semver version such as 1.3.0, found text "v1.3"',
    );
  });

  it("requires ascending bins", () => {
    const error = errorFor(exampleWith("bins: [0, 6, 12, 24, 60]", "bins: [0, 12, 6, 6]"));
    expect(error.message).toBe(
      "models/churn/model.yml:45: evaluation.slices[1].bins: expected ascending numbers. " +
        "Fix: sort the bin edges and drop repeats: [0, 6, 12]",
    );
  });

  it("requires a positive class for binary models, among the classes", () => {
    expect(errorFor(exampleWith("  positive: 1\n", "")).message).toContain(
      "artefact.positive: missing: binary models need a positive class. Fix: add positive: with one of the classes (0, 1)",
    );
    expect(errorFor(exampleWith("positive: 1", 'positive: "1"')).message).toContain(
      'artefact.positive: "1" is not one of the classes [0, 1]. Fix: write it exactly as in classes: 1',
    );
  });

  it("rejects metrics that do not suit the task and gate rules on metrics not computed", () => {
    const error = errorFor(exampleWith("brier, ece]", "brier, rmse]"));
    expect(error.message).toContain("evaluation.metrics[8]: rmse is not a binary metric");
    const gate = errorFor(exampleWith("[roc_auc, average_precision,", "[average_precision,"));
    expect(gate.problems.map((p) => p.field)).toEqual([
      "gate.rules[0].metric",
      "gate.rules[1].metric",
      "gate.rules[2].metric",
    ]);
    expect(gate.problems[0]?.fix).toContain("add roc_auc to evaluation.metrics");
    const unfit = errorFor(exampleWith("{ metric: roc_auc, min: 0.80 }", "{ metric: rmse, max: 0.80 }"));
    expect(unfit.message).toBe(
      "models/churn/model.yml:54: gate.rules[0].metric: rmse is not a binary metric. " +
        "Fix: use a binary metric: roc_auc, average_precision, f1, precision, recall, accuracy, log_loss, brier, ece, " +
        "selection_rate, fpr, value, value_max, threshold_value, f1_max, threshold_f1, recall_at_precision, precision_at_k, fpr_at_tpr",
    );
  });

  it("rejects an unknown enum value with a suggestion", () => {
    expect(errorFor(exampleWith("task: binary", "task: binray")).message).toContain(
      'task: expected one of binary, multiclass, regression, found text "binray". Fix: did you mean "binary"?',
    );
  });

  it("checks cross-field rules for gate, data and monitoring", () => {
    const text = exampleWith(
      "{ fairness: recall, across: region, max-gap: 0.05 }",
      "{ fairness: recall, across: age }",
    )
      .replace("min: 0, max: 600", "min: 600, max: 0")
      .replace("warn: 0.1, alert: 0.2", "warn: 0.3, alert: 0.2")
      .replace('sha256: "9f86', 'sha256: "zz86');
    const error = errorFor(text);
    expect(error.problems.map((p) => `${p.field}: ${p.problem}`)).toEqual([
      'artefact.sha256: expected a SHA-256 digest of 64 hex digits, found text "zz86d081884c7d659a2feaa0c55ad015a3bf4f1…"',
    ]);
    const rules = errorFor(text.replace('sha256: "zz86', 'sha256: "9f86'));
    expect(rules.problems.map((p) => `${p.field}: ${p.problem}`)).toEqual([
      "data.columns.tenure_months: min 600 is above max 0",
      "gate.rules[4]: expected exactly one of max-gap or min-ratio",
      "gate.rules[4].across: age is not sliced by evaluation.slices",
      "monitoring.drift: warn 0.3 is above alert 0.2",
    ]);
    expect(rules.message.split("\n")[0]).toBe("models/churn/model.yml: 4 problems:");
    expect(rules.message.split("\n")).toHaveLength(5);
  });

  it("reports a YAML syntax error with its line", () => {
    const error = errorFor("name: churn\nversion: [1.3.0\ntask: binary\n");
    expect(error.message).toMatch(/^models\/churn\/model\.yml:\d+: invalid YAML: /);
    expect(error.line).toBeGreaterThanOrEqual(2);
    expect(error.message).not.toContain("\n");
  });

  it("reports tab indentation once, at its first line, with the fix, not the parser's cascade", () => {
    const lines = EXAMPLE_MANIFEST_YAML.split("\n");
    const first = lines.indexOf("  data: data/eval.csv");
    expect(first).toBeGreaterThan(0);
    lines[first] = "\tdata: data/eval.csv";
    lines[first + 1] = "\tlabel: churned";
    const error = errorFor(lines.join("\n"));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toBe(
      `${FILE}:${first + 1}: invalid YAML: this line is indented with a tab (and 1 more line); YAML indents with spaces only. ` +
        "Fix: replace each tab at the start of a line with spaces (set your editor to insert spaces for .yml files)",
    );
  });

  it("says a version YAML reads as a number must be semver text, and how to write it", () => {
    const error = errorFor(exampleWith("version: 1.3.0 ", "version: 1.3 "));
    expect(error.message).toBe(
      `${FILE}:2: version: a version must be semver x.y.z text, found number 1.3. Fix: write three numbers in quotes, e.g. version: "1.3.0"`,
    );
    expect(errorFor(exampleWith("version: 1.3.0 ", "version: 2 ")).fix).toBe(
      'write three numbers in quotes, e.g. version: "2.0.0"',
    );
  });

  it("says a max-drop rule without vs needs vs: baseline, not that max-drop is unknown", () => {
    const error = errorFor(
      exampleWith("{ metric: roc_auc, max-drop: 0.01, vs: baseline }", "{ metric: roc_auc, max-drop: 0.01 }"),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain(
      "gate.rules[2].max-drop: a max-drop rule is measured against the baseline and needs vs: baseline. " +
        "Fix: add vs: baseline to the rule, e.g. { metric: roc_auc, max-drop: 0.01, vs: baseline }",
    );
    // A stray key on a value rule is still reported as the stray key.
    const typo = errorFor(exampleWith("{ metric: roc_auc, min: 0.80 }", "{ metric: roc_auc, mni: 0.80 }"));
    expect(typo.problems.map((p) => p.field)).toEqual(["gate.rules[0].mni"]);
  });

  it("never shows zod's own wording", () => {
    const error = errorFor("name: Churn Model\nartefact: 3\nslices: {}\n");
    expect(error.message).not.toMatch(/Invalid input|received/);
    expect(error.problems.map((p) => p.field)).toEqual([
      "name",
      "version",
      "task",
      "owner",
      "artefact",
      "slices",
    ]);
    expect(error.problems.map((p) => p.problem)).toEqual([
      'expected lowercase letters, digits and dashes, found text "Churn Model"',
      'missing required field "version"',
      'missing required field "task"',
      'missing required field "owner"',
      "expected a mapping (key: value), found number 3",
      'unknown field "slices"',
    ]);
  });
});

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
