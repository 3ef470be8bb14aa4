import { binIndex, MISSING } from "../slicing/bin-label.js";
import { type GroupIds, groupIdArray, widenGroupIds } from "../slicing/group-ids.js";
import { resolveSpec } from "../slicing/slice-columns.js";
import type { SliceSpec } from "../slicing/slice-spec.js";
import { cellText } from "../slicing/slice-value.js";
import type { Column } from "../table/column.js";

/** One group of rows a state keeps sums for: all rows (`spec` −1) or one value or bin of a spec. */
export interface StateGroup {
  spec: number;
  /** Column texts of the value (value specs); empty otherwise. */
  parts: string[];
  /** Bin index into `binLabels(edges)` (binned specs); −1 otherwise. */
  bin: number;
  n: number;
}

/** The text that identifies a group across shards. */
export function groupKey(g: Pick<StateGroup, "spec" | "parts" | "bin">): string {
  return `${g.spec}\u0001${g.bin >= 0 ? `#${g.bin}` : g.parts.join("\u0000")}`;
}

/**
 * The groups of a state — group 0 is all rows, then every value (or bin) of every slice spec in
 * order of first sight — and the lookup from a batch's cells to them. Values are never capped
 * here: which values end up pooled as `(other)` depends on counts over all shards, so only
 * `finishEvaluation` can decide it.
 *
 * @example
 * const groups = new SliceGroups(["region"]);
 * groups.assign(new Map([["region", regionColumn]]), 3); // [Uint8Array [1, 2, 1]]
 * groups.list[1]; // { spec: 0, parts: ["AE"], bin: -1, n: 2 }
 */
export class SliceGroups {
  readonly list: StateGroup[] = [{ spec: -1, parts: [], bin: -1, n: 0 }];
  private readonly bySpec: Map<string, number>[];

  constructor(
    readonly specs: readonly SliceSpec[],
    readonly file?: string,
  ) {
    this.bySpec = specs.map(() => new Map());
  }

  /** The index of a group, added (with `n` 0) when new. */
  group(spec: number, parts: string[], bin: number): number {
    const map = this.bySpec[spec]!;
    const local = bin >= 0 ? `#${bin}` : parts.join("\u0000");
    let g = map.get(local);
    if (g === undefined) {
      g = this.list.length;
      this.list.push({ spec, parts, bin, n: 0 });
      map.set(local, g);
    }
    return g;
  }

  /**
   * Per spec, the group of every row of a batch, in the narrowest array that holds the state's
   * group indices (see `GroupIds`); counts the rows into the groups.
   */
  assign(columns: ReadonlyMap<string, Column>, rows: number): GroupIds[] {
    this.list[0]!.n += rows;
    return this.specs.map((spec, s) => {
      const { cols, bins } = resolveSpec(columns, spec, s, this.file);
      let out: GroupIds;
      if (bins) {
        out = groupIdArray(rows, this.list.length + bins.length + 2);
        const column = cols[0]!.column;
        const values = column.values as Float64Array;
        const nulls = column.nulls;
        const edges = Float64Array.from(bins);
        const last = edges.length;
        const byBin = new Int32Array(last + 2).fill(-1);
        for (let i = 0; i < rows; i++) {
          const v = values[i]!;
          // binIndex (a linear scan for a few edges): the edges at or below v, or last + 1 when missing.
          let b = last + 1;
          if (nulls[i] === 0 && !Number.isNaN(v)) {
            if (last > 16) b = binIndex(v, bins);
            else {
              b = 0;
              while (b < last && edges[b]! <= v) b++;
            }
          }
          let g = byBin[b]!;
          if (g < 0) {
            g = this.group(s, [], b);
            byBin[b] = g;
          }
          out[i] = g;
        }
      } else if (cols.length === 1 && cols[0]!.column.kind === "category") {
        out = this.assignCategory(s, cols[0]!.column, rows);
      } else {
        out = groupIdArray(rows, this.list.length + 1);
        const local = new Map<string, number>();
        for (let i = 0; i < rows; i++) {
          const parts = cols.map(({ column }) => cellText(column, i));
          const joined = parts.join("\u0000");
          let g = local.get(joined);
          if (g === undefined) {
            g = this.group(s, parts, -1);
            local.set(joined, g);
            out = widenGroupIds(out, g);
          }
          out[i] = g;
        }
      }
      this.count(out, rows);
      return out;
    });
  }

  /**
   * `assign` of one category column: the cell's own string is the key (what `cellText` and the
   * one-part join give), and a repeat of the previous row's value skips the lookup.
   */
  private assignCategory(s: number, column: Column & { kind: "category" }, rows: number): GroupIds {
    let out = groupIdArray(rows, this.list.length + 1);
    const { values, nulls } = column;
    const local = new Map<string, number>();
    let last: string | undefined;
    let lastGroup = 0;
    for (let i = 0; i < rows; i++) {
      const text = nulls[i] ? MISSING : values[i]!;
      if (text !== last) {
        let g = local.get(text);
        if (g === undefined) {
          g = this.group(s, [text], -1);
          local.set(text, g);
          out = widenGroupIds(out, g);
        }
        last = text;
        lastGroup = g;
      }
      out[i] = lastGroup;
    }
    return out;
  }

  /** Counts a batch's rows into their groups. */
  private count(ids: GroupIds, rows: number): void {
    const counts = new Float64Array(this.list.length);
    for (let i = 0; i < rows; i++) counts[ids[i]!]! += 1;
    for (let g = 0; g < counts.length; g++) if (counts[g]! !== 0) this.list[g]!.n += counts[g]!;
  }
}
