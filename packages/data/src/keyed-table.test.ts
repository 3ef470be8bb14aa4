import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadKeyedTable } from "./keyed-table.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-keyed-"));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("loadKeyedTable", () => {
  it("looks rows up by a two-column key in the order asked, NaN where absent or empty", async () => {
    writeFileSync(
      join(dir, "p.csv"),
      "shop,month,score,other\nA,2025-01,0.5,1\nB,2025-01,,2\nA,2025-02,0.25,3\n,2025-03,0.9,4\n",
    );
    const table = await loadKeyedTable("p.csv", {
      cwd: dir,
      keys: ["shop", "month"],
      columns: ["score", "other"],
      kinds: { shop: "category", month: "category" },
    });
    try {
      expect(table.rows).toBe(4);
      expect(table.files).toEqual(["p.csv"]);
      expect(table.duplicates).toEqual({ count: 0, first: [] });
      expect(table.nullKeys).toEqual({ count: 1, first: "p.csv row 4" });
      const { columns, found } = await table.lookup([
        "A\u00002025-02",
        "C\u00002025-01",
        undefined,
        "B\u00002025-01",
        "A\u00002025-01",
      ]);
      expect([...found]).toEqual([1, 0, 0, 1, 1]);
      expect([...columns[0]!]).toEqual([0.25, Number.NaN, Number.NaN, Number.NaN, 0.5]);
      expect([...columns[1]!]).toEqual([3, Number.NaN, Number.NaN, 2, 1]);
      // A second lookup starts from an empty key table.
      const again = await table.lookup(["A\u00002025-01"]);
      expect([...again.found]).toEqual([1]);
    } finally {
      await table.close();
    }
  });

  it("counts duplicated keys and cells that are not numbers", async () => {
    writeFileSync(join(dir, "p.csv"), "id,score\na,0.1\nb,high\na,0.2\nc,0.3\nc,0.4\na,0.5\n");
    const table = await loadKeyedTable("p.csv", { cwd: dir, keys: ["id"], columns: ["score"] });
    try {
      expect(table.duplicates).toEqual({
        count: 2,
        first: [
          { key: "a", count: 3 },
          { key: "c", count: 2 },
        ],
      });
      expect(table.unparsed).toEqual({ count: 1, first: 'p.csv row 2 = "high"' });
    } finally {
      await table.close();
    }
  });
});
