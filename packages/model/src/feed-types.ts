import type { ColumnKind } from "@gauntlet/core";

/** Element types gauntlet can build input tensors of. */
export type FeedType = "float32" | "float64" | "int64" | "string";

/**
 * The element types gauntlet feeds, for messages.
 *
 * @example
 * FEED_TYPES.join(", "); // "float32, float64, int64, string"
 */
export const FEED_TYPES: readonly FeedType[] = ["float32", "float64", "int64", "string"];

/**
 * True for an element type gauntlet can build tensors of.
 *
 * @example
 * isFeedType("float64"); // true
 * isFeedType("float16"); // false
 */
export function isFeedType(type: string): type is FeedType {
  return (FEED_TYPES as readonly string[]).includes(type);
}

/**
 * Whether a column of `kind` can feed a tensor of `type`, and if not, how to fix it. Numbers and
 * booleans (as 0/1) feed numeric tensors and categories feed string tensors. Nothing is converted
 * implicitly across that line: a category read into a float tensor would have to be parsed, and a
 * number into a string tensor would have to be formatted, and either can silently disagree with how
 * the model was trained. Timestamps are refused because their milliseconds lose precision in float32
 * and no exporter takes raw epoch times.
 *
 * @example
 * feedProblem("category", "float32");
 * // { problem: "is a category column but the model input is float32", fix: "…" }
 * feedProblem("number", "float64"); // undefined
 */
export function feedProblem(kind: ColumnKind, type: FeedType): { problem: string; fix: string } | undefined {
  if (type === "string") {
    if (kind === "category") return undefined;
    return {
      problem: `is a ${kind} column but the model input is string`,
      fix: "declare the column `type: category` under data.columns so it is read as text",
    };
  }
  if (kind === "number" || kind === "boolean") return undefined;
  if (kind === "category") {
    return {
      problem: `is a category column but the model input is ${type}`,
      fix:
        "encode the category inside the model (e.g. a OneHotEncoder in the exported pipeline), " +
        "or declare the column `type: number` if it holds numbers",
    };
  }
  return {
    problem: `is a timestamp column but the model input is ${type}`,
    fix: "derive a numeric feature (such as days since the timestamp) in the data and feed that",
  };
}
