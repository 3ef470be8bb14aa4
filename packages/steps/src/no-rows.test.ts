import { describe, expect, it } from "vitest";
import { noRows } from "./no-rows.js";

describe("noRows", () => {
  it("says a CSV or TSV without rows has a header, and other formats only that they have no rows", () => {
    expect(noRows("data/eval.csv")).toBe("data/eval.csv has a header and no rows");
    expect(noRows("data/*.TSV")).toBe("data/*.TSV has a header and no rows");
    expect(noRows("logs/*.jsonl")).toBe("logs/*.jsonl has no rows");
    expect(noRows("data/eval.parquet")).toBe("data/eval.parquet has no rows");
  });
});
