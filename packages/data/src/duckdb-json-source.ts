import type { DuckDBConnection, DuckDBType } from "@duckdb/node-api";
import { absentLeaves } from "./absent-keys.js";
import { compressionOf } from "./detect-format.js";
import { sqlName, sqlString } from "./duckdb-engine.js";
import { STRUCT } from "./duckdb-plans.js";
import type { FileContext } from "./table-file.js";

/**
 * `read_json` with its columns given, so that the queries that follow (sample, rows) do not
 * detect them again. With a projection, when DuckDB's detection on its default sample (the first
 * 20,480 lines) already finds every projected column, only those are declared and each as
 * VARCHAR, which holds any JSON value (numbers as written, objects as JSON text) and is converted
 * by the plans below with the same rules as a column of mixed values: the file is parsed once, not
 * twice (the full-file detection costs as much as reading, 2.4 s for the 284 MB drift bench log),
 * and keys that are not projected are not materialised. A projected column the sample lacks,
 * or no projection, takes the full-file detection: every key of every line is a column, whatever
 * line it first appears on, with the types DuckDB prints (mixed values become VARCHAR).
 */
export async function jsonSource(
  connection: DuckDBConnection,
  detected: string,
  context: FileContext,
): Promise<JsonSource> {
  if (context.columns !== undefined && !context.schemaOnly) {
    const sampled = detected.replace("sample_size=-1, ", "");
    const probe = await connection.run(`SELECT * FROM ${sampled} LIMIT 0`);
    const names = probe.columnNames();
    const types = probe.columnTypes();
    let projected = context.columns;
    let missing = missingLeaves(names, types, projected);
    // A fallback whose preferred column the sample shows is not read (nor searched for).
    const shown = [...(context.fallbacks ?? [])].filter(
      ([preferred]) => projected.has(preferred) && !missing.includes(preferred),
    );
    if (shown.length > 0) {
      const dropped = new Set(shown.map(([, fallback]) => fallback));
      projected = new Set([...projected].filter((name) => !dropped.has(name)));
      missing = missing.filter((name) => !dropped.has(name));
    }
    // A projected leaf the sample lacks and no line of the file holds is absent without the
    // full-file detection (see absentLeaves); one that some line may hold still takes it.
    if (missing.length > 0 && compressionOf(context.path) === undefined) {
      const absent = await absentLeaves(context.path, missing);
      projected = new Set([...projected].filter((name) => !absent.has(name)));
      missing = missing.filter((name) => !absent.has(name));
    }
    const declare = (doubles: ReadonlySet<string>) => projectedColumns(names, types, projected, doubles);
    const declared = missing.length === 0 ? declare(new Set()) : undefined;
    if (declared !== undefined) {
      const withColumns = (columns: string) => detected.replace("sample_size=-1", `columns={${columns}}`);
      return { source: withColumns(declared), typed: (doubles) => withColumns(declare(doubles)!) };
    }
  }
  const probe = await connection.run(`SELECT * FROM ${detected} LIMIT 0`);
  const types = probe.columnTypes();
  const columns = probe
    .columnNames()
    .map((name, j) => `${sqlString(name)}: ${sqlString(types[j]!.toString())}`)
    .join(", ");
  return { source: detected.replace("sample_size=-1", `columns={${columns}}`) };
}

/**
 * A JSON read's table function call; with a projection declared as VARCHAR, also `typed`: the
 * same call with the leaves of `doubles` declared DOUBLE, which DuckDB's JSON reader parses
 * itself (see `TypedRead`: on the 1M-row drift bench log, about 0.7 s of DuckDB's 1.8 s).
 */
export interface JsonSource {
  source: string;
  typed?: (doubles: ReadonlySet<string>) => string;
}

/** The `projected` names that are not among the leaves of `names`/`types`. */
function missingLeaves(
  names: readonly string[],
  types: readonly DuckDBType[],
  projected: ReadonlySet<string>,
): string[] {
  const found = new Set<string>();
  projectedColumns(names, types, projected, new Set(), found);
  return [...projected].filter((name) => !found.has(name));
}

/**
 * The `columns={…}` of a JSON read that materialises only the `projected` leaves (flattened names
 * as {@link leavesOf} gives them), each as VARCHAR (DOUBLE for those of `doubles`) inside the
 * STRUCTs that hold it; undefined when a projected name is not among the leaves of `names`/`types`
 * (the leaves it did find are added to `found`).
 */
function projectedColumns(
  names: readonly string[],
  types: readonly DuckDBType[],
  projected: ReadonlySet<string>,
  doubles: ReadonlySet<string>,
  found = new Set<string>(),
): string | undefined {
  const typeOf = (name: string, type: DuckDBType): string | undefined => {
    if (type.typeId !== STRUCT || !("entryNames" in type)) {
      if (!projected.has(name)) return undefined;
      found.add(name);
      return doubles.has(name) ? "DOUBLE" : "VARCHAR";
    }
    const { entryNames, entryTypes } = type as unknown as {
      entryNames: readonly string[];
      entryTypes: readonly DuckDBType[];
    };
    const entries = entryNames.flatMap((key, k) => {
      const inner = typeOf(`${name}.${key}`, entryTypes[k]!);
      return inner === undefined ? [] : [`${sqlName(key)} ${inner}`];
    });
    return entries.length === 0 ? undefined : `STRUCT(${entries.join(", ")})`;
  };
  const columns = names.flatMap((name, j) => {
    const type = typeOf(name, types[j]!);
    return type === undefined ? [] : [`${sqlString(name)}: ${sqlString(type)}`];
  });
  if ([...projected].some((name) => !found.has(name))) return undefined;
  // A file with no projected column still has rows: one declared column counts them.
  if (columns.length === 0) return undefined;
  return columns.join(", ");
}
