import type { Batch, Column, InvalidCell } from "./column.js";

/**
 * Where a name that is not a column of flattened JSON data went: nested JSON objects are read as
 * dotted columns (`{"score": {"value": 0.7}}` is the column `score.value`), so a manifest naming
 * `score` finds nothing. Returns the dotted columns under `name` (at most `shown`), or an empty
 * list when `name` is not a nested object there.
 *
 * @example
 * nestedUnder("score", ["request_id", "score.value", "score.label"]); // ["score.value", "score.label"]
 */
export function nestedUnder(name: string, columns: Iterable<string>, shown = 5): string[] {
  const found: string[] = [];
  for (const column of columns) {
    if (column.startsWith(`${name}.`)) found.push(column);
    if (found.length === shown) break;
  }
  return found;
}

/**
 * The object that holds every one of `wanted` as its fields, when the data nests them one level
 * down (`inputs.age`, `inputs.region`): what a `features:` setting should name. `undefined` when no
 * single object holds them all.
 *
 * @example
 * nestingObject(["age", "region"], ["request_id", "inputs.age", "inputs.region", "score"]); // "inputs"
 */
export function nestingObject(wanted: readonly string[], columns: Iterable<string>): string | undefined {
  const holders = new Map<string, number>();
  const wantedSet = new Set(wanted);
  for (const column of columns) {
    const dot = column.lastIndexOf(".");
    if (dot <= 0 || !wantedSet.has(column.slice(dot + 1))) continue;
    const holder = column.slice(0, dot);
    holders.set(holder, (holders.get(holder) ?? 0) + 1);
  }
  for (const [holder, n] of holders) if (n === wantedSet.size) return holder;
  return undefined;
}

/**
 * The fix for a column name that nested JSON explains: the name is an object whose fields became
 * dotted columns (`score` → `score.value`), or a field one object down (`age` → `inputs.age`).
 * `undefined` when neither is the case.
 *
 * @example
 * dottedNameFix("age", ["id", "inputs.age", "inputs.plan"]);
 * // 'the data nests it as "inputs.age" (nested JSON is read as dotted names): write inputs.age'
 */
export function dottedNameFix(name: string, columns: Iterable<string>): string | undefined {
  const all = [...columns];
  const inside = nestedUnder(name, all, 3);
  if (inside.length > 0) {
    return `"${name}" is a nested object in the data, read as ${inside.join(", ")}: name the value by its dotted name, e.g. ${inside[0]}`;
  }
  const holder = nestingObject([name], all);
  if (holder !== undefined) {
    return `the data nests it as "${holder}.${name}" (nested JSON is read as dotted names): write ${holder}.${name}`;
  }
  return undefined;
}

/**
 * A batch whose columns nested under `features` (`inputs.age`) are named as the fields they are
 * (`age`), so that a data contract written for flat rows checks a prediction log that nests the
 * features, as `shadow.features` and `monitoring.features` read them. Other columns (a request
 * id, a timestamp) keep their names, unless a field of `features` has the same name: then the
 * field is the column.
 *
 * @example
 * const batch = featuresAtTop(logBatch, "inputs");
 * [...batch.columns.keys()]; // ["request_id", "age", "region", "score"]
 */
export function featuresAtTop(batch: Batch, features: string): Batch {
  const prefix = `${features}.`;
  const renamed = (name: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
  const fields = new Set([...batch.columns.keys()].filter((name) => name.startsWith(prefix)).map(renamed));
  const keep = (name: string) => name.startsWith(prefix) || !fields.has(name);
  const columns = new Map<string, Column>();
  for (const [name, column] of batch.columns) if (keep(name)) columns.set(renamed(name), column);
  const invalid = new Map<string, InvalidCell[]>();
  for (const [name, cells] of batch.invalid) if (keep(name)) invalid.set(renamed(name), cells);
  return { ...batch, columns, invalid };
}
