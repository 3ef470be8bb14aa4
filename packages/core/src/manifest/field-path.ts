/** A path into a parsed document: object keys and array indexes. */
export type FieldPath = readonly (string | number)[];

/**
 * A field path as users write it: `evaluation.slices[2].bins`; keys that are not plain words are
 * quoted (`data.columns["inputs.age"]`) so the path stays unambiguous.
 *
 * @example
 * formatFieldPath(["evaluation", "slices", 2, "bins"]); // "evaluation.slices[2].bins"
 * formatFieldPath(["data", "columns", "inputs.age"]); // 'data.columns["inputs.age"]'
 */
export function formatFieldPath(path: FieldPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * The value at `path` inside plain parsed data, or `undefined` when any step is missing.
 *
 * @example
 * valueAt({ a: [{ b: 1 }] }, ["a", 0, "b"]); // 1
 */
export function valueAt(data: unknown, path: FieldPath): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
