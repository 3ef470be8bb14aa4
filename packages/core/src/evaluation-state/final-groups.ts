import { OTHER, type Slice } from "../slicing/assign-slices.js";
import { binLabels } from "../slicing/bin-label.js";
import { specColumns } from "../slicing/slice-spec.js";
import { compareParts } from "../slicing/slice-value.js";
import type { CellState } from "./evaluation-state.js";
import type { StateGroup } from "./slice-groups.js";

/** The groups a result reports, and which state groups each one pools. */
export interface FinalGroups {
  /** Slices in `assignSlices` order (result group i + 1 is slice i). */
  slices: Slice[];
  /** Per result group (0 = all rows), the state groups it sums. */
  members: number[][];
  /** Per state group, its result group. */
  finalOf: Int32Array;
  /** Per result group, the text its bootstrap weights are keyed by. */
  identity: string[];
}

/**
 * Orders and caps a state's slices exactly as `assignSlices` does for the same rows in one piece:
 * spec by spec; bins in edge order; values by descending size then by value, the first
 * `maxSlicesPerSpec` kept and the rest pooled into one `(other)` slice. The decision uses counts
 * over every merged shard, so a value pooled in the merged result is pooled in a single run too.
 *
 * @example
 * finalGroups(state, 1000).slices[0]; // { spec: 0, key: { region: "AE" }, n: 5120 }
 */
export function finalGroups(state: CellState, maxSlicesPerSpec = 1000): FinalGroups {
  const all = state.groups.list;
  const slices: Slice[] = [];
  const members: number[][] = [[0]];
  const identity = [""];
  const bySpec = state.spec.specs.map(() => [] as number[]);
  all.forEach((g, i) => {
    if (g.spec >= 0 && g.n > 0) bySpec[g.spec]!.push(i);
  });
  state.spec.specs.forEach((spec, s) => {
    const names = specColumns(spec);
    const add = (key: Record<string, string>, groups: number[], otherValues?: number) => {
      const n = groups.reduce((sum, g) => sum + all[g]!.n, 0);
      slices.push({ spec: s, key, n, ...(otherValues !== undefined ? { otherValues } : {}) });
      members.push(groups);
      identity.push(`${s}\u0001${JSON.stringify(key)}`);
    };
    const ids = bySpec[s]!;
    if (typeof spec === "object" && !Array.isArray(spec)) {
      const labels = binLabels((spec as { bins: number[] }).bins);
      ids.sort((a, b) => all[a]!.bin - all[b]!.bin);
      for (const g of ids) add({ [names[0]!]: labels[all[g]!.bin]! }, [g]);
      return;
    }
    const keyOf = (group: StateGroup) => Object.fromEntries(names.map((name, j) => [name, group.parts[j]!]));
    ids.sort((a, b) => all[b]!.n - all[a]!.n || compareParts(all[a]!.parts, all[b]!.parts));
    for (const g of ids.slice(0, maxSlicesPerSpec)) add(keyOf(all[g]!), [g]);
    if (ids.length > maxSlicesPerSpec) {
      const pooled = ids.slice(maxSlicesPerSpec);
      add(Object.fromEntries(names.map((name) => [name, OTHER])), pooled, pooled.length);
    }
  });
  const finalOf = new Int32Array(all.length).fill(-1);
  members.forEach((groups, f) => {
    for (const g of groups) finalOf[g] = f;
  });
  return { slices, members, finalOf, identity };
}
