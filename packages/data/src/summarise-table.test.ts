import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createContractValidator,
  type DataContract,
  isUserError,
  kindsFromContract,
  LISTED,
  manifestSchema,
  type ValidationResult,
  validateSummary,
} from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable } from "./read-table.js";
import { summariseTable } from "./summarise-table.js";
import { writeParquet } from "./write-parquet.js";

const NOW = new Date("2024-06-30T00:00:00Z");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-summary-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function contractOf(data: unknown): DataContract {
  return manifestSchema.shape.data.unwrap().parse(data);
}

/** The plain definition: every batch through the streaming validator. */
async function streamed(name: string, contract: DataContract): Promise<ValidationResult> {
  const validator = createContractValidator(contract, { now: NOW });
  for await (const batch of readTable(name, { cwd: dir, kinds: kindsFromContract(contract) })) {
    validator.add(batch);
  }
  return validator.finish();
}

async function summarised(name: string, contract: DataContract): Promise<ValidationResult | undefined> {
  const summary = await summariseTable(
    name,
    contract,
    { cwd: dir, kinds: kindsFromContract(contract) },
    LISTED,
  );
  return summary && validateSummary(contract, summary, { now: NOW });
}

/** The means are sums in another order (compensated in DuckDB): compared to 1e-12 relative. */
function expectSame(fast: ValidationResult, plain: ValidationResult): void {
  const withoutMeans = (result: ValidationResult) => ({
    ...result,
    columns: Object.fromEntries(
      Object.entries(result.columns).map(([name, profile]) => [name, { ...profile, mean: null }]),
    ),
  });
  expect(withoutMeans(fast)).toEqual(withoutMeans(plain));
  for (const [name, profile] of Object.entries(plain.columns)) {
    const mean = fast.columns[name]!.mean;
    if (profile.mean === null) expect(mean).toBeNull();
    else
      expect(Math.abs(mean! - profile.mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(profile.mean)));
  }
}

const awkward = contractOf({
  key: "id",
  rows: { min: 5, max: 100 },
  "max-null-fraction": 0.2,
  "duplicate-rows": "warn",
  columns: {
    age: { type: "number", min: 0, max: 120, nullable: false },
    income: { type: "number", "max-null-fraction": 0.5 },
    region: { type: "category", values: ["AE", "SA", 7], unseen: "error" },
    active: { type: "boolean" },
    seen: { type: "timestamp", "max-age": "30d" },
    absent: { type: "number" },
  },
});

// Ties and repeats (0 and -0, "1.0" and "1"), unparsable cells, underscores DuckDB would read,
// blanks, a key repeated and missing, whole rows repeated, more than ten unseen values, booleans
// in every accepted spelling, and dates with and without times.
const awkwardCsv = [
  "id,age,income,region,active,seen,note",
  "a,30,100.5,AE,true,2024-06-01,x",
  "b,-0,0,SA,False,2024-06-01T10:00:00Z,",
  "c,0,1_000,7,1,2024-05-01,",
  "a,abc,1.0,u1,0,not a date,y",
  ",130, ,u2,TRUE,2024-06-29T23:59:59.500Z,y",
  "d,,1,u3,yes,,",
  "e,-5,1e3,u4,,2024-02-29,z",
  "b,-0,0,SA,False,2024-06-01T10:00:00Z,",
  "f,12.5,-3,u5,false,2023-02-29,",
  "g,1,2,u6,true,2024-06-02,",
  "h,1,2,u7,true,2024-06-02,",
  "i,1,2,u8,true,2024-06-02,",
  "j,1,2,u9,true,2024-06-02,",
  "k,1,2,u10,true,2024-06-02,",
  "l,1,2,u11,true,2024-06-02,",
  "m,1,2,u12,true,2024-06-02,",
  "n,0,2,u1,true,2024-06-02,",
  "b,0.0,0,SA,false,2024-06-01T10:00:00Z,",
].join("\n");

describe("summariseTable", () => {
  it("gives the streaming validator's result on awkward data", async () => {
    await writeFile(join(dir, "awkward.csv"), `${awkwardCsv}\n`);
    const plain = await streamed("awkward.csv", awkward);
    const fast = await summarised("awkward.csv", awkward);
    expect(fast).toBeDefined();
    expectSame(fast!, plain);
    // The data is as awkward as meant: these checks find something.
    const failing = plain.checks.filter((c) => c.status !== "pass").map((c) => `${c.id}:${c.column ?? ""}`);
    expect(failing).toEqual(
      expect.arrayContaining([
        "key-unique:id",
        "key-not-null:id",
        "duplicate-rows:",
        "parse:age",
        "not-null:age",
        "range-min:age",
        "range-max:age",
        "parse:income",
        "allowed-values:region",
        "parse:active",
        "parse:seen",
        "column-present:absent",
      ]),
    );
  });

  it("gives the same result when every number parses, read typed by DuckDB's CSV reader, checks failing", async () => {
    // The awkward rows with each number cell one DuckDB's CSV reader parses as DOUBLE (blank
    // ones empty): its typed read stands, and the rows each failing check lists come from it.
    const parsable = awkwardCsv.replace("a,abc,", "a,31,").replace(",1_000,", ",1000,").replace(", ,", ",,");
    await writeFile(join(dir, "typed.csv"), `${parsable}\n`);
    const plain = await streamed("typed.csv", awkward);
    expectSame((await summarised("typed.csv", awkward))!, plain);
    const failing = plain.checks.filter((c) => c.status !== "pass").map((c) => `${c.id}:${c.column ?? ""}`);
    expect(failing).toEqual(
      expect.arrayContaining([
        "key-unique:id",
        "duplicate-rows:",
        "range-min:age",
        "range-max:age",
        "not-null:age",
      ]),
    );
    expect(failing).not.toContain("parse:age");
    expect(failing).not.toContain("parse:income");
  });

  it("gives the same result on clean data, with every check passing", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) =>
      [`c${i}`, i % 97, (i * 0.37).toFixed(2), ["AE", "SA"][i % 2], i % 3 === 0, "2024-06-20"].join(","),
    );
    await writeFile(join(dir, "clean.csv"), ["id,age,income,region,active,seen", ...rows].join("\n"));
    const contract = contractOf({
      key: "id",
      columns: {
        age: { type: "number", min: 0, max: 120, nullable: false },
        income: { type: "number" },
        region: { type: "category", values: ["AE", "SA"] },
        active: { type: "boolean" },
        seen: { type: "timestamp", "max-age": "30d" },
      },
    });
    const plain = await streamed("clean.csv", contract);
    expect(plain.status).toBe("pass");
    expectSame((await summarised("clean.csv", contract))!, plain);
  });

  it("gives the same result for a composite key, JSON Lines and Parquet-typed numbers", async () => {
    const lines = [
      { shop: "a", day: 1, amount: 1.5, tag: "x" },
      { shop: "a", day: 2, amount: null, tag: "x" },
      { shop: "a", day: 1, amount: 2, tag: "y" },
      { shop: null, day: 3, amount: -1, tag: "" },
      { shop: "b", day: 3, amount: 1e308, tag: "x" },
    ];
    await writeFile(join(dir, "log.jsonl"), lines.map((line) => JSON.stringify(line)).join("\n"));
    const contract = contractOf({
      key: ["shop", "day"],
      columns: { amount: { type: "number", min: 0, nullable: false }, tag: { type: "category" } },
    });
    const plain = await streamed("log.jsonl", contract);
    expect(plain.checks.find((c) => c.id === "key-unique")!.value).toBe(1);
    expectSame((await summarised("log.jsonl", contract))!, plain);
  });

  it("lists the first rows of failing checks whose counts are known, found chunks apart", async () => {
    // No range fails, so only the first rows are looked up: nulls of a not-nullable column from
    // row 3,001 on, unseen values at rows 11, 2,501 and 4,990 on, a nullable column over its null
    // limit from row 4,000 on; DuckDB hands rows over 2,048 at a time.
    const rows = Array.from({ length: 5000 }, (_, i) =>
      [
        `k${i}`,
        i >= 3000 && i % 7 === 0 ? "" : i % 50,
        i === 10 || i === 2500 || i >= 4989 ? `z${i % 3}` : ["AE", "SA"][i % 2],
        i >= 3999 ? "" : (i * 0.5).toFixed(1),
      ].join(","),
    );
    await writeFile(join(dir, "late-failures.csv"), ["id,age,region,income", ...rows].join("\n"));
    const contract = contractOf({
      key: "id",
      columns: {
        age: { type: "number", min: 0, nullable: false },
        region: { type: "category", values: ["AE", "SA"] },
        income: { type: "number", "max-null-fraction": 0.1 },
      },
    });
    const plain = await streamed("late-failures.csv", contract);
    const failing = plain.checks.filter((c) => c.status !== "pass").map((c) => `${c.id}:${c.column ?? ""}`);
    expect(failing).toEqual(["not-null:age", "allowed-values:region", "null-fraction:income"]);
    // Rows past the first chunk are listed (data rows count from 1).
    expect(plain.checks.find((c) => c.id === "not-null")!.rows?.[0]?.row).toBe(3004);
    expectSame((await summarised("late-failures.csv", contract))!, plain);
  });

  it("gives the same distinct counts when the first rows hold few values and later rows many", async () => {
    // The first 20,000 rows (the sample that finds columns over the cap) repeat ten values.
    const rows = Array.from({ length: 25_000 }, (_, i) => `${i < 20_000 ? i % 10 : i},${i % 7},c${i % 1500}`);
    await writeFile(join(dir, "late.csv"), ["x,y,z", ...rows].join("\n"));
    const contract = contractOf({ key: "x", columns: { x: { type: "number" }, y: { type: "number" } } });
    const plain = await streamed("late.csv", contract);
    expect(plain.columns.x!.distinctCapped).toBe(true);
    expect(plain.columns.y!.distinct).toBe(7);
    expect(plain.columns.z!.distinctCapped).toBe(true);
    expectSame((await summarised("late.csv", contract))!, plain);
  });

  it("gives the same result on Parquet, whose numbers DuckDB reads typed (NaN among them)", async () => {
    const values = [1.5, Number.NaN, -2, 0, -0, 1.5, Number.POSITIVE_INFINITY, 7];
    const nulls = [0, 0, 0, 1, 0, 0, 0, 0];
    await writeParquet(
      join(dir, "typed.parquet"),
      new Map([
        ["x", { kind: "number", values: Float64Array.from(values), nulls: Uint8Array.from(nulls) }],
        [
          "on",
          { kind: "boolean", values: Uint8Array.from([1, 0, 1, 1, 0, 1, 0, 0]), nulls: new Uint8Array(8) },
        ],
        [
          "tag",
          {
            kind: "category",
            values: ["a", "b", "", "a", "c", "a", "b", "d"],
            nulls: Uint8Array.from([0, 0, 1, 0, 0, 0, 0, 0]),
          },
        ],
      ]),
      8,
    );
    const contract = contractOf({
      columns: {
        x: { type: "number", min: 0, nullable: false },
        tag: { type: "category", values: ["a", "b"] },
      },
    });
    const plain = await streamed("typed.parquet", contract);
    expect(plain.checks.find((c) => c.id === "non-finite")!.value).toBe(2);
    expectSame((await summarised("typed.parquet", contract))!, plain);
  });

  it("gives the same result for NaN and infinite numbers", async () => {
    const contract = contractOf({ columns: { x: { type: "number", min: 0 } } });
    await writeFile(join(dir, "nan.csv"), "x\n1\nNaN\n-Infinity\n2\nNaN\n");
    const plain = await streamed("nan.csv", contract);
    expect(plain.checks.find((c) => c.id === "non-finite")!.value).toBe(3);
    expectSame((await summarised("nan.csv", contract))!, plain);
  });

  it("summarises again from the text when the scan, finished after DuckDB's pass, finds an underscore in a number cell", async () => {
    // DuckDB's CSV reader reads 2_5 as 25; parseNumber refuses it. The summary starts while the
    // file is scanned, reading every number column typed, and must not keep that pass.
    const contract = contractOf({
      key: "id",
      columns: { id: { type: "category" }, x: { type: "number", min: 0 } },
    });
    const rows = Array.from({ length: 200_000 }, (_, i) => `r${i},${i % 97}`);
    await writeFile(join(dir, "late.csv"), `id,x\n${rows.join("\n")}\nlast,2_5\n`);
    const plain = await streamed("late.csv", contract);
    expect(plain.columns["x"]!.invalid).toBe(1);
    expectSame((await summarised("late.csv", contract))!, plain);
  }, 30_000);

  it("finds a lone NaN or infinity of a typed column by its extremes, wherever it lies", async () => {
    // A typed read's values are summarised as they are (no finite copy): one non-finite cell
    // must still send the column to its text, whose non-finite count the checks report.
    const contract = contractOf({ columns: { x: { type: "number" }, y: { type: "number" } } });
    for (const text of ["NaN", "Infinity", "-Infinity", "+Infinity"]) {
      for (const cells of [
        [text, "1", "2"],
        ["1", text, "2"],
        ["1", "2", text],
        [text, text],
      ]) {
        await writeFile(join(dir, "lone.csv"), `x,y\n${cells.map((cell, i) => `${cell},${i}`).join("\n")}\n`);
        const plain = await streamed("lone.csv", contract);
        const nonFinite = plain.checks.find((c) => c.id === "non-finite" && c.column === "x");
        expect(nonFinite?.value, `${cells}`).toBe(cells.filter((cell) => cell === text).length);
        expectSame((await summarised("lone.csv", contract))!, plain);
      }
    }
  });

  it("leaves to streaming the non-finite spellings DuckDB reads and gauntlet refuses", async () => {
    const contract = contractOf({ columns: { x: { type: "number" } } });
    for (const text of ["nan", "inf", "-INFINITY", "Inf"]) {
      await writeFile(join(dir, "spelt.csv"), `x\n1\n${text}\n2\n`);
      const plain = await streamed("spelt.csv", contract);
      expect(plain.columns["x"]?.invalid, text).toBe(1);
      expect(await summarised("spelt.csv", contract), text).toBeUndefined();
    }
    await writeFile(join(dir, "spelt.csv"), "x\n1\n NaN \n+Infinity\n");
    expect(await summarised("spelt.csv", contract)).toBeDefined();
  });

  it("leaves to streaming what only gauntlet's parsers read, several files, and no rows", async () => {
    const contract = contractOf({ columns: { x: { type: "number" } } });
    await writeFile(join(dir, "zoned.csv"), "x,at\n1,2024-03-01T02:00:00+02:00\n");
    expect(
      await summarised("zoned.csv", contractOf({ columns: { at: { type: "timestamp" } } })),
    ).toBeUndefined();
    await writeFile(join(dir, "padded.csv"), "x,on\n1, true\n");
    expect(
      await summarised("padded.csv", contractOf({ columns: { on: { type: "boolean" } } })),
    ).toBeUndefined();
    await writeFile(join(dir, "part-1.csv"), "x\n1\n");
    await writeFile(join(dir, "part-2.csv"), "x\n2\n");
    expect(await summarised("part-*.csv", contract)).toBeUndefined();
    await writeFile(join(dir, "header.csv"), "x\n");
    expect(await summarised("header.csv", contract)).toBeUndefined();
  });

  it("reports a line over the limit as the reader does, though DuckDB starts while the file is scanned", async () => {
    await writeFile(join(dir, "wide.csv"), `x,y\n1,2\n3,${"9".repeat(16 * 1024 * 1024 + 10)}\n`);
    const error = await summarised("wide.csv", contractOf({ columns: { x: { type: "number" } } })).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isUserError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/wide\.csv.*line 3 is longer than 16 MiB/);
  }, 30_000);

  it("reports a malformed file as the reader does: file and line", async () => {
    await writeFile(join(dir, "ragged.csv"), "x,y\n1,2\n3\n");
    const error = await summarised("ragged.csv", contractOf({ columns: { x: { type: "number" } } })).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isUserError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/ragged\.csv.*line 3/);
  });
});
