import type { DataContract } from "../manifest/schema.js";
import type { ColumnKind } from "../table/column.js";

/**
 * The kind each declared column must be read as, for readers: a column declared `category` stays
 * text even when it looks numeric (postcodes, ids), a `timestamp` is parsed as a date, and a text
 * value in a `number` column becomes an invalid cell that the contract checks then report.
 *
 * @example
 * kindsFromContract({ columns: { region: { type: "category" }, age: { type: "number" } } });
 * // { region: "category", age: "number" }
 */
export function kindsFromContract(contract: Pick<DataContract, "columns">): Record<string, ColumnKind> {
  const kinds: Record<string, ColumnKind> = {};
  for (const [name, column] of Object.entries(contract.columns)) kinds[name] = column.type;
  return kinds;
}
