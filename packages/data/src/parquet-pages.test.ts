import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { churnColumns, churnRows, writeParquet } from "@gauntlet/fixtures";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageHeaderProblem } from "./parquet-pages.js";
import { readError } from "./read-error.test-helper.js";
import { readTable } from "./read-table.js";

// A copy of the fixture eval table with part of its pages zeroed: the first page header is cut
// short (the bytes after its data_page_header_v2's first fields read as thrift's "stop"), which
// used to leave the decoder repeating an empty run forever. It must now end with an error.
// Without the header check this test does not fail but hangs (a synchronous loop that no test
// timeout can interrupt); test/workspace-limits.test.ts runs the same file through the bundled
// action under a process timeout.

let dir: string;
let dataEnd: number;
const ROWS = 3_000;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-parquet-pages-"));
  const rows = churnRows({ seed: "pages", rows: ROWS, now: "2025-06-01T00:00:00Z" });
  writeParquet(join(dir, "eval.parquet"), churnColumns(false), rows, 2_000);
  const bytes = readFileSync(join(dir, "eval.parquet"));
  dataEnd = bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8);
  const zeroed = Buffer.from(bytes);
  zeroed.fill(0, 4 + 16, dataEnd - 40);
  writeFileSync(join(dir, "zeroed.parquet"), zeroed);
  const overwritten = Buffer.from(bytes);
  overwritten.fill(0xff, 4, 4 + 16);
  writeFileSync(join(dir, "overwritten.parquet"), overwritten);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("Parquet files with corrupted pages", () => {
  it("finds nothing wrong with the intact fixture, which reads in full", async () => {
    const file = await asyncBufferFromFile(join(dir, "eval.parquet"));
    const metadata = await parquetMetadataAsync(file);
    const tops = new Set(churnColumns(false).map((c) => c.name));
    for (const group of metadata.row_groups)
      expect(await pageHeaderProblem(file, group, tops)).toBeUndefined();
    let rows = 0;
    for await (const batch of readTable("eval.parquet", { cwd: dir })) rows += batch.length;
    expect(rows).toBe(ROWS);
  });

  it("ends a read of zeroed pages with an error naming the file, column and byte", async () => {
    const started = Date.now();
    const error = await readError("zeroed.parquet", dir);
    expect(error.file).toBe("zeroed.parquet");
    expect(error.problem).toMatch(
      /^could not be decoded \(column "customer_id": the page header at byte 4 has no valid \w+\)$/,
    );
    expect(error.fix).toMatch(/damaged or was cut short/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);

  it("ends a read of overwritten page headers with an error too", async () => {
    expect((await readError("overwritten.parquet", dir)).problem).toMatch(/^could not be decoded \(/);
  }, 20_000);
});
