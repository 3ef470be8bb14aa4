import type { SliceKey } from "./gate-result.js";

/**
 * A canonical string for a slice key, independent of the order its columns were written in, so
 * the candidate's and the baseline's slices can be matched.
 *
 * @example
 * sliceKeyId({ plan: "gold", region: "AE" }) === sliceKeyId({ region: "AE", plan: "gold" }); // true
 */
export function sliceKeyId(key: SliceKey): string {
  return JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A slice key for people: `column=value` pairs in key order.
 *
 * @example
 * formatSliceKey({ region: "AE", plan: "gold" }); // "region=AE, plan=gold"
 */
export function formatSliceKey(key: SliceKey): string {
  return Object.entries(key)
    .map(([column, value]) => `${column}=${value}`)
    .join(", ");
}

/**
 * Whether a slice belongs to a rule's `slices:` scope. `all` takes every slice; a list of columns
 * takes the slices keyed only by listed columns, so `[region]` means the region slices and not the
 * region × plan crosses, while `[region, plan]` takes region, plan and their cross.
 *
 * @example
 * inSliceScope({ region: "AE", plan: "gold" }, ["region"]); // false
 * inSliceScope({ region: "AE" }, "all"); // true
 */
export function inSliceScope(key: SliceKey, scope: "all" | readonly string[]): boolean {
  if (scope === "all") return true;
  const columns = Object.keys(key);
  return columns.length > 0 && columns.every((column) => scope.includes(column));
}
