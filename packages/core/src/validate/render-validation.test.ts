import { describe, expect, it } from "vitest";
import { dataContractSchema } from "../manifest/schema-data.js";
import type { Check } from "../results/check.js";
import type { Column } from "../table/column.js";
import { createContractValidator } from "./contract-validator.js";
import { formatValue, renderValidationSection } from "./render-validation.js";
import type { ValidationResult } from "./validation-result.js";

function resultWith(checks: Check[]): ValidationResult {
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) summary[c.status]++;
  return {
    schema: "gauntlet/validation@1",
    model: { name: "churn", version: "1.3.0" },
    data: { files: ["data/eval.csv"], rows: 100, columns: 3 },
    status: summary.fail > 0 ? "fail" : summary.warn > 0 ? "warn" : "pass",
    checks,
    summary,
    columns: {},
  };
}

function hostileResult(): ValidationResult {
  const values = ["AE", "@everyone <script>alert(1)</script>|", "AE"];
  const column: Column = { kind: "category", values, nulls: new Uint8Array(3) };
  const validator = createContractValidator(
    dataContractSchema.parse({
      columns: { "re|gion": { type: "category", values: ["AE"] } },
      rows: { min: 1 },
    }),
    { now: new Date(0) },
  );
  validator.add({
    source: "data/x.csv",
    firstRow: 1,
    length: 3,
    columns: new Map([["re|gion", column]]),
    invalid: new Map(),
  });
  return validator.finish();
}

describe("renderValidationSection", () => {
  it("puts a verdict first, problems in a table, and passing checks in details", () => {
    const text = renderValidationSection(hostileResult());
    const lines = text.split("\n");
    expect(lines[0]).toBe("### Data");
    expect(lines[2]).toBe(
      "❌ **Data contract failed**: 1 failed, 1 warning, 4 passed · 3 rows, 1 columns from data/x.csv",
    );
    const failing = lines.filter((l) => l.startsWith("| ❌"));
    expect(failing).toHaveLength(1);
    expect(text.indexOf("| ❌")).toBeLessThan(text.indexOf("<details>"));
    expect(lines.filter((l) => l.startsWith("| ⚠️"))).toHaveLength(1);
    expect(text).toContain("<details><summary>4 passing or skipped checks</summary>");
    expect(lines.filter((l) => l.startsWith("| ✅"))).toHaveLength(4);
  });

  it("renders hostile data harmlessly: no mention, no HTML, no broken table", () => {
    const text = renderValidationSection(hostileResult());
    expect(text).not.toContain("@everyone");
    expect(text).toContain("@\u2060everyone");
    expect(text).not.toMatch(/<script/i);
    expect(text).toContain("&lt;script&gt;");
    for (const row of text.split("\n").filter((l) => l.startsWith("| "))) {
      expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(8);
    }
  });

  it("orders failures before warnings and caps the rows listed, saying how many were left out", () => {
    const checks: Check[] = [
      { id: "duplicate-rows", status: "warn", value: 2, limit: 0, reason: "2 rows repeat an earlier row" },
      ...Array.from(
        { length: 30 },
        (_, i): Check => ({
          id: "range-min",
          column: `c${i}`,
          status: "fail",
          value: -i - 0.123456,
          limit: 0,
          reason: "below",
        }),
      ),
    ];
    const text = renderValidationSection(resultWith(checks), { maxRows: 10 });
    const rows = text.split("\n").filter((l) => l.startsWith("| ❌") || l.startsWith("| ⚠️"));
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.startsWith("| ❌"))).toBe(true);
    expect(text).toContain("…and 21 more checks not shown (see validation.json).");
    // Measured values are rounded to 4 significant digits (and escaped like all data).
    expect(text).toContain("| \\-0.1235 | 0 |");
    expect(text).not.toContain("<details>");
  });

  it("stays within the character budget", () => {
    const checks = Array.from(
      { length: 500 },
      (_, i): Check => ({
        id: "allowed-values",
        column: `column_${i}`,
        status: "fail",
        value: i,
        limit: ["a", "b"],
        reason: "x".repeat(250),
      }),
    );
    const text = renderValidationSection(resultWith(checks), { maxChars: 8000 });
    expect(text.length).toBeLessThanOrEqual(8000);
    expect(text).toMatch(/…and \d+ more checks not shown/);
  });
});

describe("formatValue", () => {
  it("formats numbers, lists, booleans and missing values", () => {
    expect(formatValue(0.0123456)).toBe("0.01235");
    expect(formatValue(1000)).toBe("1000");
    expect(formatValue(null)).toBe("—");
    expect(formatValue(true)).toBe("yes");
    expect(formatValue(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"])).toBe(
      "a, b, c, d, e, f, g, h (+2 more)",
    );
  });
});
