import type { DataContract } from "../manifest/schema.js";

/**
 * The values each category column of a data contract is declared to take (`values:`), as slice
 * text (`String` of each), for `evaluate`'s `declaredValues`: a declared value with no rows is
 * then listed as a slice of n = 0 instead of silently missing from the report.
 *
 * @example
 * declaredValues({ columns: { region: { type: "category", values: ["AE", "SA"] } } });
 * // Map { "region" => ["AE", "SA"] }
 */
export function declaredValues(contract: Pick<DataContract, "columns">): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, column] of Object.entries(contract.columns)) {
    if (column.type === "category" && column.values) out.set(name, column.values.map(String));
  }
  return out;
}
