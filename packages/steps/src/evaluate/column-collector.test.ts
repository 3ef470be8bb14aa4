import type { Column } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { collectColumn } from "./column-collector.js";

const text = (values: string[]): Column => ({
  kind: "category",
  values,
  nulls: Uint8Array.from(values, (v) => (v === "" ? 1 : 0)),
});

describe("collectColumn on a category column", () => {
  it("joins the batches' values in order, a batch without the column as nulls", () => {
    const collector = collectColumn();
    collector.add(undefined, 2);
    collector.add(text(["AE", "SA", ""]), 3);
    collector.add(undefined, 1);
    collector.add(text(["SA", "EG"]), 2);
    const column = collector.finish();
    expect(column.kind).toBe("category");
    expect(column.values).toEqual(["", "", "AE", "SA", "", "", "SA", "EG"]);
    expect([...column.nulls]).toEqual([1, 1, 0, 0, 1, 1, 0, 0]);
  });

  it("keeps the rows of a column of very many values, past the codes, in order", () => {
    const ids = Array.from({ length: 150_000 }, (_, i) => (i % 1_000 === 7 ? "" : `id-${i}`));
    const collector = collectColumn();
    for (let from = 0; from < ids.length; from += 40_000) {
      const part = ids.slice(from, from + 40_000);
      collector.add(text(part), part.length);
    }
    collector.add(undefined, 1);
    const column = collector.finish();
    expect(column.values).toEqual([...ids, ""]);
    expect([...column.nulls]).toEqual([...ids.map((v) => (v === "" ? 1 : 0)), 1]);
  });

  it("gives an all-null column when no batch had it", () => {
    const collector = collectColumn();
    collector.add(undefined, 2);
    expect(collector.finish()).toEqual({ kind: "category", values: ["", ""], nulls: Uint8Array.of(1, 1) });
  });
});
