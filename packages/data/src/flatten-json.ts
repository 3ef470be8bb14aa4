import type { Cell } from "./cell.js";

/**
 * Walks a parsed JSON object as flat columns: nested objects become dotted names (`inputs.age`),
 * the way serving systems log features; arrays become their JSON text (a category); `null`
 * stays missing. An empty nested object contributes no column.
 *
 * @example
 * const cells: [string, Cell][] = [];
 * flattenJson({ id: "r1", inputs: { age: 31, tags: ["a", "b"] }, score: null }, (name, cell) => cells.push([name, cell]));
 * // cells: [["id", "r1"], ["inputs.age", 31], ["inputs.tags", '["a","b"]'], ["score", null]]
 */
export function flattenJson(value: Record<string, unknown>, visit: (name: string, cell: Cell) => void): void {
  flattenInto(value, "", visit);
}

function flattenInto(
  value: Record<string, unknown>,
  prefix: string,
  visit: (name: string, cell: Cell) => void,
): void {
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = value[key];
    const name = prefix + key;
    if (item === null || typeof item === "string" || typeof item === "number" || typeof item === "boolean") {
      visit(name, item);
    } else if (Array.isArray(item)) {
      visit(name, JSON.stringify(item));
    } else if (typeof item === "object") {
      flattenInto(item as Record<string, unknown>, `${name}.`, visit);
    }
  }
}
