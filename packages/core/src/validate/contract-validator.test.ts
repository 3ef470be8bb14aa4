import { describe, expect, it } from "vitest";
import { dataContractSchema } from "../manifest/schema-data.js";
import type { Check } from "../results/check.js";
import type { Batch, Column, InvalidCell } from "../table/column.js";
import { createContractValidator } from "./contract-validator.js";
import { kindsFromContract } from "./kinds-from-contract.js";

const NOW = new Date("2024-06-30T00:00:00Z");

function num(values: (number | null)[]): Column {
  return {
    kind: "number",
    values: Float64Array.from(values, (v) => (v === null ? Number.NaN : v)),
    nulls: Uint8Array.from(values, (v) => (v === null ? 1 : 0)),
  };
}

function cat(values: (string | null)[]): Column {
  return {
    kind: "category",
    values: values.map((v) => v ?? ""),
    nulls: Uint8Array.from(values, (v) => (v === null ? 1 : 0)),
  };
}

function ts(values: (string | null)[]): Column {
  return {
    kind: "timestamp",
    values: Float64Array.from(values, (v) => (v === null ? Number.NaN : Date.parse(v))),
    nulls: Uint8Array.from(values, (v) => (v === null ? 1 : 0)),
  };
}

function batch(
  columns: Record<string, Column>,
  options: { source?: string; firstRow?: number; invalid?: Record<string, InvalidCell[]> } = {},
): Batch {
  const length = Object.values(columns)[0]?.nulls.length ?? 0;
  return {
    source: options.source ?? "data/eval.csv",
    firstRow: options.firstRow ?? 1,
    length,
    columns: new Map(Object.entries(columns)),
    invalid: new Map(Object.entries(options.invalid ?? {})),
  };
}

function run(contract: unknown, batches: Batch[]) {
  const validator = createContractValidator(dataContractSchema.parse(contract), {
    now: NOW,
    model: { name: "churn", version: "1.3.0" },
  });
  for (const b of batches) validator.add(b);
  return validator.finish();
}

function check(checks: Check[], id: string, column?: string): Check {
  const found = checks.find((c) => c.id === id && (column === undefined || c.column === column));
  if (!found) throw new Error(`no check ${id} ${column ?? ""}`);
  return found;
}

describe("createContractValidator", () => {
  const contract = {
    key: "id",
    rows: { min: 3, max: 10 },
    "max-null-fraction": 0.5,
    columns: {
      age: { type: "number", min: 0, max: 120, nullable: false },
      region: { type: "category", values: ["AE", "SA"] },
      seen: { type: "timestamp", "max-age": "30d" },
    },
  };

  it("passes clean data and reports every check with value, limit and a profile", () => {
    const result = run(contract, [
      batch({
        id: cat(["a", "b", "c"]),
        age: num([30, 41, 0]),
        region: cat(["AE", "SA", "AE"]),
        seen: ts(["2024-06-01T00:00:00Z", "2024-06-29T00:00:00Z", null]),
      }),
    ]);
    expect(result.status).toBe("pass");
    expect(result.schema).toBe("gauntlet/validation@1");
    expect(result.model).toEqual({ name: "churn", version: "1.3.0" });
    expect(result.data).toEqual({ files: ["data/eval.csv"], rows: 3, columns: 4 });
    expect(result.summary).toEqual({ pass: result.checks.length, warn: 0, fail: 0, skip: 0 });
    for (const c of result.checks) expect(c.reason).not.toBe("");
    expect(check(result.checks, "range-max", "age")).toMatchObject({ value: 41, limit: 120 });
    expect(check(result.checks, "null-fraction", "seen")).toMatchObject({ value: 1 / 3, limit: 0.5 });
    expect(result.columns["age"]).toEqual({
      kind: "number",
      rows: 3,
      nulls: 0,
      invalid: 0,
      min: 0,
      max: 41,
      mean: 71 / 3,
      distinct: 3,
      distinctCapped: false,
    });
    expect(result.columns["region"]).toMatchObject({ kind: "category", distinct: 2, min: null, mean: null });
  });

  it("fails a number column read as text, listing the first rows", () => {
    const result = run({ columns: { age: { type: "number" } } }, [
      batch({ age: cat([null, null, "x", "y"]) }, { firstRow: 1 }),
      batch({ age: cat(["z"]) }, { firstRow: 17 }),
    ]);
    const c = check(result.checks, "column-type", "age");
    expect(c).toMatchObject({ status: "fail", value: 3, limit: 0 });
    expect(c.reason).toBe("expected numbers, found text in 3 rows (first: rows 3, 4, 17)");
    expect(c.rows).toEqual([
      { source: "data/eval.csv", row: 3 },
      { source: "data/eval.csv", row: 4 },
      { source: "data/eval.csv", row: 17 },
    ]);
  });

  it("counts unparseable cells apart from nulls, and non-finite numbers", () => {
    const result = run({ columns: { age: { type: "number", nullable: false } } }, [
      batch(
        { age: num([1, null, null, Number.NaN, Number.POSITIVE_INFINITY]) },
        { firstRow: 11, invalid: { age: [{ row: 12, raw: "abc" }] } },
      ),
    ]);
    expect(check(result.checks, "parse", "age")).toMatchObject({
      status: "fail",
      value: 1,
      reason: 'values could not be read as number; e.g. "abc" (first: row 12)'.replace(/^/, "1 "),
    });
    expect(check(result.checks, "not-null", "age")).toMatchObject({
      status: "fail",
      value: 1,
      rows: [{ row: 13 }],
    });
    expect(check(result.checks, "non-finite", "age")).toMatchObject({ status: "fail", value: 2 });
    expect(result.columns["age"]).toMatchObject({ nulls: 1, invalid: 1, min: 1, max: 1 });
  });

  it("applies max-null-fraction per column over the data-level limit, and to undeclared columns", () => {
    const result = run(
      { "max-null-fraction": 0.25, columns: { a: { type: "number", "max-null-fraction": 0.6 } } },
      [batch({ a: num([null, null, 1, 2]), b: num([null, 1, 2, 3]), c: num([null, null, 1, 1]) })],
    );
    expect(check(result.checks, "null-fraction", "a")).toMatchObject({
      status: "pass",
      value: 0.5,
      limit: 0.6,
    });
    expect(check(result.checks, "null-fraction", "b")).toMatchObject({ status: "pass", value: 0.25 });
    const c = check(result.checks, "null-fraction", "c");
    expect(c).toMatchObject({ status: "fail", value: 0.5, limit: 0.25 });
    expect(c.reason).toBe("50% null (2 of 4 rows); at most 25% allowed");
  });

  it("reports range violations with their count and the extreme value", () => {
    const result = run({ columns: { age: { type: "number", min: 0, max: 100 } } }, [
      batch({ age: num([5, -1, -7, 101, 50]) }),
    ]);
    expect(check(result.checks, "range-min", "age")).toMatchObject({
      status: "fail",
      value: -7,
      limit: 0,
      reason: "2 values below 0 (lowest -7) (first: rows 2, 3)",
    });
    expect(check(result.checks, "range-max", "age")).toMatchObject({
      status: "fail",
      value: 101,
      limit: 100,
    });
  });

  it("treats unseen category values by policy: error fails, warn warns, ignore passes", () => {
    const data = () => [batch({ region: cat(["AE", "XX", "YY", "XX", null]) })];
    const checkFor = (unseen: string) =>
      check(
        run({ columns: { region: { type: "category", values: ["AE"], unseen } } }, data()).checks,
        "allowed-values",
      );
    const error = checkFor("error");
    expect(error).toMatchObject({ status: "fail", value: 3, limit: ["AE"] });
    expect(error.reason).toBe('3 rows hold values not in the list: "XX", "YY" (first: rows 2, 3, 4)');
    expect(checkFor("warn").status).toBe("warn");
    expect(checkFor("ignore")).toMatchObject({ status: "pass", value: 3 });
    expect(checkFor("ignore").reason).toContain("(unseen: ignore)");
  });

  it("caps the unseen values listed", () => {
    const values = Array.from({ length: 30 }, (_, i) => `v${i}`);
    const result = run({ columns: { r: { type: "category", values: ["AE"] } } }, [batch({ r: cat(values) })]);
    const c = check(result.checks, "allowed-values");
    expect(c.reason).toContain('"v9" and more');
    expect(c.reason).not.toContain('"v10"');
    expect(c.rows).toHaveLength(5);
  });

  it("finds duplicate and missing keys across batches and files, also for composite keys", () => {
    const result = run({ key: "id" }, [
      batch({ id: cat(["a", "b", null]) }, { source: "one.csv" }),
      batch({ id: cat(["c", "a"]) }, { source: "two.csv", firstRow: 1 }),
    ]);
    expect(check(result.checks, "key-unique")).toMatchObject({
      status: "fail",
      value: 1,
      rows: [{ source: "two.csv", row: 2 }],
    });
    expect(check(result.checks, "key-not-null")).toMatchObject({ status: "fail", value: 1 });
    const composite = run({ key: ["a", "b"] }, [batch({ a: cat(["x", "x", "xy"]), b: num([1, 2, 1]) })]);
    expect(check(composite.checks, "key-unique")).toMatchObject({ status: "pass", value: 0 });
    const split = run({ key: ["a", "b"] }, [batch({ a: cat(["ab", "a"]), b: cat(["c", "bc"]) })]);
    expect(check(split.checks, "key-unique").status).toBe("pass");
  });

  it("counts duplicate rows across batches regardless of column order, by policy", () => {
    const batches = () => [
      batch({ x: num([1, 2]), y: cat(["a", null]) }),
      batch({ y: cat([null, "a", "a"]), x: num([2, 1, 3]) }, { firstRow: 3 }),
    ];
    const warn = check(run({}, batches()).checks, "duplicate-rows");
    expect(warn).toMatchObject({ status: "warn", value: 2, rows: [{ row: 3 }, { row: 4 }] });
    expect(check(run({ "duplicate-rows": "error" }, batches()).checks, "duplicate-rows").status).toBe("fail");
    expect(check(run({ "duplicate-rows": "ignore" }, batches()).checks, "duplicate-rows").status).toBe(
      "pass",
    );
    expect(check(run({}, [batch({ x: num([0, -0, Number.NaN]) })]).checks, "duplicate-rows").value).toBe(1);
  });

  it("bounds the row count", () => {
    const b = () => [batch({ x: num([1, 2, 3]) })];
    expect(check(run({ rows: { min: 4 } }, b()).checks, "rows-min")).toMatchObject({
      status: "fail",
      value: 3,
      limit: 4,
    });
    expect(check(run({ rows: { max: 2 } }, b()).checks, "rows-max")).toMatchObject({
      status: "fail",
      value: 3,
      limit: 2,
    });
    expect(check(run({ rows: { min: 3, max: 3 } }, b()).checks, "rows-max").status).toBe("pass");
  });

  it("checks freshness against the given now", () => {
    const contractFor = { columns: { t: { type: "timestamp", "max-age": "30d" } } };
    const fresh = check(
      run(contractFor, [batch({ t: ts(["2024-01-01T00:00:00Z", "2024-06-15T00:00:00Z"]) })]).checks,
      "max-age",
    );
    expect(fresh).toMatchObject({
      status: "pass",
      value: "2024-06-15T00:00:00.000Z",
      limit: "2024-05-31T00:00:00.000Z",
    });
    const stale = check(run(contractFor, [batch({ t: ts(["2024-05-30T00:00:00Z"]) })]).checks, "max-age");
    expect(stale).toMatchObject({
      status: "fail",
      reason: "newest is 2024-05-30T00:00:00.000Z, 31.0 days old; max-age is 30d",
    });
    expect(check(run(contractFor, [batch({ t: ts([null]) })]).checks, "max-age").status).toBe("fail");
  });

  it("fails a missing column and skips its other checks", () => {
    const result = run({ columns: { age: { type: "number", min: 0 } } }, [batch({ other: num([1]) })]);
    expect(check(result.checks, "column-present")).toMatchObject({
      status: "fail",
      value: false,
      limit: true,
    });
    expect(check(result.checks, "range-min").status).toBe("skip");
    expect(result.summary.skip).toBe(4);
    const partly = run({ columns: { age: { type: "number" } } }, [
      batch({ age: num([1]) }, { source: "a.csv" }),
      batch({ other: num([1]) }, { source: "b.csv" }),
    ]);
    expect(check(partly.checks, "column-present")).toMatchObject({
      status: "fail",
      reason: "missing from b.csv",
    });
  });

  it("streams two million keys in batches within a few seconds", () => {
    const started = performance.now();
    const validator = createContractValidator(
      dataContractSchema.parse({ key: "id", rows: { min: 1 }, columns: { x: { type: "number", min: 0 } } }),
      { now: NOW },
    );
    const size = 50_000;
    for (let start = 0; start < 2_000_000; start += size) {
      const ids = new Float64Array(size);
      const xs = new Float64Array(size);
      for (let i = 0; i < size; i++) {
        ids[i] = start + i;
        xs[i] = (start + i) % 1000;
      }
      // Key 0 appears once more at the very end.
      if (start + size === 2_000_000) ids[size - 1] = 0;
      validator.add({
        source: "big.csv",
        firstRow: start + 1,
        length: size,
        columns: new Map<string, Column>([
          ["id", { kind: "number", values: ids, nulls: new Uint8Array(size) }],
          ["x", { kind: "number", values: xs, nulls: new Uint8Array(size) }],
        ]),
        invalid: new Map(),
      });
    }
    const result = validator.finish();
    const seconds = (performance.now() - started) / 1000;
    expect(result.data.rows).toBe(2_000_000);
    expect(check(result.checks, "key-unique")).toMatchObject({ value: 1, rows: [{ row: 2_000_000 }] });
    expect(check(result.checks, "duplicate-rows").value).toBe(0);
    expect(result.columns["x"]).toMatchObject({ min: 0, max: 999, distinct: 1000 });
    expect(seconds).toBeLessThan(10);
  });
});

describe("kindsFromContract", () => {
  it("maps declared columns to their kinds", () => {
    const contract = dataContractSchema.parse({
      columns: {
        zip: { type: "category" },
        age: { type: "number" },
        t: { type: "timestamp" },
        ok: { type: "boolean" },
      },
    });
    expect(kindsFromContract(contract)).toEqual({
      zip: "category",
      age: "number",
      t: "timestamp",
      ok: "boolean",
    });
  });
});
