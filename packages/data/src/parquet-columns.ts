import type { ColumnKind } from "@gauntlet/core";
import type { SchemaElement, SchemaTree } from "hyparquet";
import type { Cell } from "./cell.js";

/**
 * One flattened column of a Parquet file and where its values sit in the decoded data.
 *
 * @example
 * const column: ParquetColumn = { name: "inputs.age", top: "inputs", path: ["age"], kind: "number" };
 */
export interface ParquetColumn {
  /** Dotted name: a struct field `b` of top-level column `a` is `a.b`. */
  name: string;
  /** Top-level Parquet column that holds the values. */
  top: string;
  /** Field path inside the top-level column's struct values (empty for a plain column). */
  path: string[];
  kind: ColumnKind;
  /** Turns a decoded value into a cell, when the decoded form is not one already. */
  convert?: (value: unknown) => Cell;
}

const dayMs = 86_400_000;

/**
 * The columns of a Parquet schema as gauntlet sees them: structs are flattened to dotted names
 * like nested JSON; lists, maps and variants are one category column holding their JSON text.
 * Kinds follow {@link parquetKind}.
 *
 * @example
 * parquetColumns(parquetSchema(metadata));
 * // [{ name: "age", top: "age", path: [], kind: "number" }, { name: "inputs.region", top: "inputs", path: ["region"], kind: "category" }]
 */
export function parquetColumns(root: SchemaTree): ParquetColumn[] {
  const columns: ParquetColumn[] = [];
  const visit = (node: SchemaTree, top: string, path: string[]): void => {
    const element = node.element;
    const name = [top, ...path].join(".");
    if (isOpaqueGroup(element) || (node.children.length > 0 && element.repetition_type === "REPEATED")) {
      columns.push({ name, top, path, kind: "category", convert: toJsonText });
    } else if (node.children.length > 0) {
      for (const child of node.children) visit(child, top, [...path, child.element.name]);
    } else {
      const kind = parquetKind(element);
      const daysOnly = element.logical_type?.type === "DATE" && element.converted_type !== "DATE";
      columns.push(daysOnly ? { name, top, path, kind, convert: daysToDate } : { name, top, path, kind });
    }
  };
  for (const child of root.children) visit(child, child.element.name, []);
  return columns;
}

/**
 * The kind of a Parquet leaf column: DATE, TIMESTAMP and INT96 are timestamps; BOOLEAN is boolean;
 * integers (including 64-bit, read as the nearest double), floats, FLOAT16 and DECIMAL are numbers;
 * strings, enums, JSON, UUIDs and raw bytes are categories.
 *
 * @example
 * parquetKind({ name: "ts", type: "INT64", converted_type: "TIMESTAMP_MICROS" }); // "timestamp"
 * parquetKind({ name: "price", type: "FIXED_LEN_BYTE_ARRAY", converted_type: "DECIMAL", scale: 2 }); // "number"
 */
export function parquetKind(element: SchemaElement): ColumnKind {
  const converted = element.converted_type;
  const logical = element.logical_type?.type;
  if (
    logical === "TIMESTAMP" ||
    logical === "DATE" ||
    converted === "DATE" ||
    converted === "TIMESTAMP_MILLIS" ||
    converted === "TIMESTAMP_MICROS" ||
    element.type === "INT96"
  ) {
    return "timestamp";
  }
  if (element.type === "BOOLEAN") return "boolean";
  if (converted === "DECIMAL" || logical === "DECIMAL" || logical === "FLOAT16") return "number";
  if (
    element.type === "INT32" ||
    element.type === "INT64" ||
    element.type === "FLOAT" ||
    element.type === "DOUBLE"
  ) {
    return "number";
  }
  return "category";
}

function isOpaqueGroup(element: SchemaElement): boolean {
  const converted = element.converted_type;
  const logical = element.logical_type?.type;
  return (
    converted === "LIST" ||
    converted === "MAP" ||
    converted === "MAP_KEY_VALUE" ||
    logical === "LIST" ||
    logical === "MAP" ||
    logical === "VARIANT"
  );
}

function toJsonText(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? Number(item) : item));
}

// hyparquet converts DATE only when it is also the legacy converted type; a logical-only DATE
// arrives as a day count.
function daysToDate(value: unknown): Cell {
  if (typeof value === "number") return new Date(value * dayMs);
  return value as Cell;
}
