import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Batch, isUserError, type UserError } from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReadOptions, readTable, readTableSchema } from "./read-table.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-csv-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, content: string | Buffer, options: ReadOptions = {}): Promise<Batch[]> {
  await writeFile(join(dir, name), content);
  const batches: Batch[] = [];
  for await (const batch of readTable(name, { cwd: dir, ...options })) batches.push(batch);
  return batches;
}

async function readError(name: string, content: string | Buffer): Promise<UserError> {
  const error = await read(name, content).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

/** Values of a column across batches, with null for missing cells. */
function values(batches: Batch[], name: string): unknown[] {
  return batches.flatMap((batch) => {
    const column = batch.columns.get(name);
    if (column === undefined) return [];
    return Array.from(column.values as ArrayLike<unknown>, (value, i) => (column.nulls[i] ? null : value));
  });
}

describe("CSV files", () => {
  it("reads quoted commas, newlines and quotes, with CRLF line ends and a BOM", async () => {
    const text = '\uFEFFid,note\r\n1,"Dubai, AE"\r\n2,"line one\r\nline two"\r\n3,"5"" screen"\r\n';
    const batches = await read("quoted.csv", text);
    expect(batches[0]!.columns.has("id")).toBe(true);
    expect(values(batches, "note")).toEqual(["Dubai, AE", "line one\r\nline two", '5" screen']);
    expect(values(batches, "id")).toEqual([1, 2, 3]);
  });

  it("keeps category text verbatim, including Markdown and HTML look-alikes", async () => {
    const nasty = ["a|b", "`code`", "<script>alert(1)</script>", "@everyone", "**bold**", "ünïcødé 🚀"];
    const csv = `v\n${nasty.map((text) => (text.includes(",") ? `"${text}"` : text)).join("\n")}\n`;
    expect(values(await read("nasty.csv", csv), "v")).toEqual(nasty);
  });

  it("reads empty cells as nulls and NaN/Infinity as non-finite numbers", async () => {
    const batches = await read("nan.csv", "x,y\n1,a\n,\nNaN,c\nInfinity,d\n-Infinity,e\n");
    const x = batches[0]!.columns.get("x")!;
    expect(x.kind).toBe("number");
    expect(Array.from(x.nulls)).toEqual([0, 1, 0, 0, 0]);
    expect(Array.from(x.values as Float64Array)).toEqual([1, Number.NaN, Number.NaN, Infinity, -Infinity]);
    expect(batches[0]!.invalid.size).toBe(0);
    expect(values(batches, "y")).toEqual(["a", null, "c", "d", "e"]);
  });

  it("reads each number form as parseNumber does: what DuckDB's cast alone would accept is listed", async () => {
    // Every form DuckDB's own DOUBLE cast reads differently from parseNumber is here: underscores
    // and lower-case or short non-finite names it accepts, and radix literals it refuses anyway.
    const forms: [string, number | null][] = [
      ["1", 1],
      ["-1.5e3", -1500],
      ["+1", 1],
      ['" 1 "', 1],
      ["1.", 1],
      [".5", 0.5],
      ["1E+05", 100000],
      ["00012", 12],
      ["1e400", Infinity],
      ["NaN", Number.NaN],
      ["Infinity", Infinity],
      ["+Infinity", Infinity],
      ["-Infinity", -Infinity],
      ["1_000", null],
      ["1__0", null],
      ["nan", null],
      ["-NaN", null],
      ["inf", null],
      ["-inf", null],
      ["INF", null],
      ["infinity", null],
      ["0x10", null],
      ["0b1", null],
      ['"1,5"', null],
      ["1e", null],
    ];
    const rows = [...forms.map(([text]) => text), ...Array.from({ length: 40 }, (_, i) => String(i))];
    const batches = await read("forms.csv", `x\n${rows.join("\n")}\n`, { kinds: { x: "number" } });
    expect(values(batches, "x").slice(0, forms.length)).toEqual(forms.map(([, value]) => value));
    const refused = forms.flatMap(([text, value], i) =>
      value === null ? [{ row: i + 1, raw: text.replaceAll('"', "") }] : [],
    );
    expect(batches[0]!.invalid.get("x")).toEqual(refused);
  });

  it("lists underscored numbers wherever they are, the header and other columns holding underscores too", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `prepaid_${i % 3},${i},${i + 0.5}`);
    rows[30] = "prepaid_1,1_000,2";
    rows[35] = "x_,7,3_5";
    const expected = { a_n: [{ row: 31, raw: "1_000" }], b: [{ row: 36, raw: "3_5" }] };
    for (const [name, text] of [
      ["under.csv", `plan_name,a_n,b\n${rows.join("\n")}\n`],
      ["under-crlf.csv", `plan_name,a_n,b\r\n${rows.join("\r\n")}\r\n`],
      ["under-quoted.csv", `"plan_name",a_n,b\n${rows.join("\n")}\n`],
      ["under.tsv", `plan_name\ta_n\tb\n${rows.join("\n").replaceAll(",", "\t")}\n`],
    ] as const) {
      const batches = await read(name, text, { kinds: { a_n: "number", b: "number" } });
      expect(Object.fromEntries(batches[0]!.invalid)).toEqual(expected);
      expect(values(batches, "a_n")[0]).toBe(0);
    }
  });

  it("stops cleanly with DuckDB's next chunk under way, and reports a bad line several chunks in", async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `${i},${i % 7}`);
    await writeFile(join(dir, "long.csv"), `a,b\n${rows.join("\n")}\n`);
    let seen = 0;
    for await (const batch of readTable("long.csv", { cwd: dir, batchSize: 100 })) {
      seen += batch.length;
      break;
    }
    expect(seen).toBe(100);
    expect(values(await read("long.csv", `a,b\n${rows.join("\n")}\n`), "a")).toHaveLength(10_000);
    rows[9_000] = "1,2,3";
    const error = await readError("bad-late.csv", `a,b\n${rows.join("\n")}\n`);
    expect(error.message).toContain("line 9002 has 3 fields but the header (line 1) has 2");
  });

  it("keeps a mostly numeric column numeric and lists its bad cells with row numbers", async () => {
    const rows = Array.from({ length: 19 }, (_, i) => String(i));
    rows.splice(7, 0, "n/a");
    const batches = await read("mixed.csv", `n\n${rows.join("\n")}\n`);
    expect(batches[0]!.columns.get("n")!.kind).toBe("number");
    expect(batches[0]!.invalid.get("n")).toEqual([{ row: 8, raw: "n/a" }]);
    expect(values(batches, "n")[7]).toBeNull();
  });

  it("turns a column with too many non-numbers into a category", async () => {
    const batches = await read("cat.csv", "code\n1\n2\nA7\nB9\n");
    expect(batches[0]!.columns.get("code")!.kind).toBe("category");
    expect(values(batches, "code")).toEqual(["1", "2", "A7", "B9"]);
  });

  it("parses timestamps in mixed formats and offsets to UTC", async () => {
    const csv =
      "ts\n2024-03-01\n2024-03-01T02:00:00+02:00\n2024-02-29 19:00:00-05:00\n2024-03-01T00:00:00.000Z\n";
    const batches = await read("ts.csv", csv);
    expect(batches[0]!.columns.get("ts")!.kind).toBe("timestamp");
    expect(values(batches, "ts")).toEqual(Array(4).fill(Date.UTC(2024, 2, 1)));
  });

  it("reads plain dates as UTC midnight like parseTimestamp, listing impossible ones and odd separators", async () => {
    const csv = "d\n2024-03-01\n2023-02-29\n2024/03/01\n2024-03-01T02:00:00+02:00\n\n";
    const batches = await read("dates.csv", csv, { kinds: { d: "timestamp" } });
    expect(values(batches, "d")).toEqual([Date.UTC(2024, 2, 1), null, null, Date.UTC(2024, 2, 1), null]);
    expect(batches[0]!.invalid.get("d")).toEqual([
      { row: 2, raw: "2023-02-29" },
      { row: 3, raw: "2024/03/01" },
    ]);
  });

  it("reads long and non-ASCII category values verbatim", async () => {
    const batches = await read("long.csv", "c\nprepaid_basic_plus_extra\nSão Paulo\nAE\n");
    expect(values(batches, "c")).toEqual(["prepaid_basic_plus_extra", "São Paulo", "AE"]);
  });

  it("reads booleans and lets declared kinds override inference", async () => {
    const csv = "flag,code,when\ntrue,1,2024-01-01\nFalse,x,soon\n";
    const batches = await read("kinds.csv", csv, { kinds: { code: "number", when: "timestamp" } });
    expect(values(batches, "flag")).toEqual([1, 0]);
    expect(batches[0]!.columns.get("code")!.kind).toBe("number");
    expect(batches[0]!.invalid.get("code")).toEqual([{ row: 2, raw: "x" }]);
    expect(batches[0]!.invalid.get("when")).toEqual([{ row: 2, raw: "soon" }]);
    const declared = await read("declared.csv", "b\n1\n0\n", { kinds: { b: "boolean" } });
    expect(values(declared, "b")).toEqual([1, 0]);
  });

  it("reads a header-only file as no rows but a schema", async () => {
    expect(await read("header.csv", "a,b\n")).toEqual([]);
    expect(await readTableSchema("header.csv", { cwd: dir })).toEqual([
      { name: "a", kind: "category" },
      { name: "b", kind: "category" },
    ]);
  });

  it("reads a TSV file", async () => {
    expect(values(await read("t.tsv", "a\tb\n1\tx, y\n"), "b")).toEqual(["x, y"]);
  });

  it("names the file, line and counts of a ragged row", async () => {
    const error = await readError("ragged.csv", "a,b,c\n1,2,3\n4,5\n");
    expect(error.file).toBe("ragged.csv");
    expect(error.line).toBe(3);
    expect(error.message).toContain("line 3 has 2 fields but the header (line 1) has 3");
    expect(error.fix).toBeTruthy();
  });

  it("names the line of a quote that is never closed, in gauntlet's words", async () => {
    const error = await readError("quote.csv", 'a,b\n1,2\n3,"open\n4,5\n');
    expect(error.file).toBe("quote.csv");
    expect(error.line).toBe(3);
    expect(error.problem).toBe("line 3 opens a quote that is never closed");
    expect(error.message).not.toMatch(/Invalid Input Error|Original Line|Possible fixes/);
  });

  it("rejects empty and whitespace-only files", async () => {
    for (const [name, text] of [
      ["empty.csv", ""],
      ["blank.csv", "  \n\n \r\n"],
    ] as const) {
      const error = await readError(name, text);
      expect(error.file).toBe(name);
      expect(error.message).toMatch(/is empty/);
    }
  });

  it("rejects binary and Latin-1 files as not UTF-8 text", async () => {
    const binary = await readError("model.csv", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08]));
    expect(binary.message).toMatch(/is a ZIP archive, not text/);
    const latin1 = await readError("latin1.csv", Buffer.from("city\nCaf\xe9\nS\xe3o Paulo\n", "latin1"));
    expect(latin1.message).toMatch(/not valid UTF-8/);
    expect(latin1.fix).toMatch(/iconv/);
  });

  it("names the separator of a semicolon, tab or pipe separated file read as CSV", async () => {
    const semicolons = await readError("semi.csv", "customer_id;age;region\nc1;31;AE\nc2;4,5;SA\n");
    expect(semicolons.message).toBe(
      'semi.csv:1: the header is one column, "customer_id;age;region": the file looks separated by semicolons, not commas. ' +
        'Fix: write it comma-separated (pandas: to_csv(sep=",")); a spreadsheet in a locale with decimal commas exports ";": choose comma as the separator',
    );
    const tabs = await readError("tabs.csv", "customer_id\tage\nc1\t31\n");
    expect(tabs.problem).toContain("the file looks separated by tabs, not commas");
    expect(tabs.fix).toBe("name the file .tsv, or write it comma-separated");
    const commas = await readError("commas.tsv", "customer_id,age\nc1,31\n");
    expect(commas.problem).toContain("the file looks separated by commas, not tabs");
    // A one-column file whose name has none of them is read as it is.
    expect(values(await read("one.csv", "score\n0.5\n"), "score")).toEqual([0.5]);
  });

  it("rejects duplicate and missing header names", async () => {
    const duplicate = await readError("dup.csv", "a,b,a\n1,2,3\n");
    expect(duplicate.field).toBe("a");
    expect(duplicate.message).toMatch(/twice/);
    expect((await readError("unnamed.csv", ",a\n0,1\n")).message).toMatch(/column 1 has no name/);
  });

  it("cuts rows into batches with 1-based row numbers that continue across batches", async () => {
    const csv = `n\n${Array.from({ length: 10 }, (_, i) => (i === 6 ? "oops" : String(i))).join("\n")}\n`;
    const batches = await read("batches.csv", csv, { batchSize: 3, inferRows: 4 });
    expect(batches.map((batch) => [batch.firstRow, batch.length])).toEqual([
      [1, 3],
      [4, 3],
      [7, 3],
      [10, 1],
    ]);
    expect(batches[2]!.invalid.get("n")).toEqual([{ row: 7, raw: "oops" }]);
    expect(values(batches, "n")).toEqual([0, 1, 2, 3, 4, 5, null, 7, 8, 9]);
  });

  it("copies number columns as blocks, with nulls and bad cells in place, across chunks and odd batch edges", async () => {
    // 5,000 rows span DuckDB chunks of 2,048; batches of 999 start at offsets that are not
    // multiples of eight. `a` is always valid, `b` has empty and bad cells, `c` sits after them.
    const cell = (i: number) => (i % 97 === 5 ? "" : i % 131 === 7 ? `x${i}` : String(i / 4));
    const lines = Array.from(
      { length: 5000 },
      (_, i) => `${i},${cell(i)},c${i % 3},${i % 11 === 0 ? "" : -i}`,
    );
    const batches = await read("blocks.csv", `a,b,c,d\n${lines.join("\n")}\n`, {
      batchSize: 999,
      kinds: { a: "number", b: "number", c: "category", d: "number" },
    });
    expect(values(batches, "a")).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(values(batches, "b")).toEqual(
      Array.from({ length: 5000 }, (_, i) => (i % 97 === 5 || i % 131 === 7 ? null : i / 4)),
    );
    expect(values(batches, "c")).toEqual(Array.from({ length: 5000 }, (_, i) => `c${i % 3}`));
    expect(values(batches, "d")).toEqual(Array.from({ length: 5000 }, (_, i) => (i % 11 === 0 ? null : -i)));
    const invalid = batches.flatMap((batch) => batch.invalid.get("b") ?? []);
    const bad = Array.from({ length: 5000 }, (_, i) => i).filter((i) => i % 131 === 7 && i % 97 !== 5);
    expect(invalid).toEqual(bad.map((i) => ({ row: i + 1, raw: `x${i}` })));
  });

  it("reads number columns typed by DuckDB until a cell it refuses or reads as non-finite, then as text, alike", async () => {
    // 6,000 rows are three of DuckDB's chunks; the odd cell comes chunks in, after rows the typed
    // read has handed on. A quoted header makes the underscore scan give up, so the same rows are
    // read by the text plan from the start: both reads must give the same batches.
    const base = (i: number) => [`id${i}`, String(i / 8), i % 13 === 0 ? "" : String(-i), `${i % 5}`];
    for (const [name, odd] of [
      ["refused", "abc"],
      ["lower-nan", "nan"],
      ["nan", "NaN"],
      ["overflow", "1e400"],
      ["none", undefined],
    ] as const) {
      const lines = Array.from({ length: 6_000 }, (_, i) => {
        const cells = base(i);
        if (odd !== undefined && i === 4_501) cells[2] = odd;
        return cells.join(",");
      });
      const body = `${lines.join("\n")}\n`;
      const options = { batchSize: 999, kinds: { b: "number" as const, c: "number" as const } };
      const typed = await read(`${name}.csv`, `id,b,c,d\n${body}`, options);
      const text = await read(`${name}-text.csv`, `"id",b,c,d\n${body}`, options);
      const strip = (batches: Batch[]) => batches.map(({ source: _, ...rest }) => rest);
      expect(strip(typed)).toEqual(strip(text));
      expect(values(typed, "b")[5_999]).toBe(5_999 / 8);
      const c = values(typed, "c");
      const invalid = typed.flatMap((batch) => batch.invalid.get("c") ?? []);
      if (odd === "abc" || odd === "nan") {
        expect(c[4_501]).toBeNull();
        expect(invalid).toEqual([{ row: 4_502, raw: odd }]);
      } else {
        expect(invalid).toEqual([]);
        expect(c[4_501]).toBe(odd === "NaN" ? Number.NaN : odd === "1e400" ? Infinity : -4_501);
      }
      expect(c[4_502]).toBe(-4_502);
    }
  });

  it("materialises only projected columns", async () => {
    const batches = await read("wide.csv", "a,b,c\n1,x,true\n", { columns: ["c", "a", "missing"] });
    expect([...batches[0]!.columns.keys()]).toEqual(["a", "c"]);
  });

  it("reads a category column of few values as codes and one of many as text, alike", async () => {
    // The first 2,048 rows give plan its dictionary; "family" and the empty cell come after.
    const rows = Array.from({ length: 5_000 }, (_, i) => {
      const plan =
        i === 4_000 ? "family" : i === 4_001 ? "" : ["basic", "plus", "a-rather-long-plan-name"][i % 3];
      return `${plan},id-${i}`;
    });
    const batches = await read("codes.csv", `plan,id\n${rows.join("\n")}\n`, { batchSize: 1_000 });
    const plans = values(batches, "plan");
    expect(plans.slice(0, 3)).toEqual(["basic", "plus", "a-rather-long-plan-name"]);
    expect(plans.slice(3_999, 4_003)).toEqual(["basic", "family", null, "basic"]);
    expect(new Set(plans)).toEqual(new Set(["basic", "plus", "a-rather-long-plan-name", "family", null]));
    expect(values(batches, "id")[4_999]).toBe("id-4999");
    expect(batches.every((batch) => batch.invalid.size === 0)).toBe(true);
  });
});
