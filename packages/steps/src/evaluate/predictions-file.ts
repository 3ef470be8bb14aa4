import { type ColumnKind, UserError } from "@gauntlet/core";
import { type KeyedTable, loadKeyedTable, readTableSchema } from "@gauntlet/data";
import type { ScoreRole } from "./supplied-scorer.js";

/** What {@link openPredictionsFile} needs. */
export interface PredictionsFileOptions {
  cwd: string;
  manifestFile: string;
  /** The evaluation data (file or glob) the predictions are joined to. */
  data: string;
  /** The evaluation data's columns and kinds (at least the key columns). */
  columns: ReadonlyMap<string, ColumnKind>;
  /** The columns both files are joined by. */
  keys: readonly string[];
  /** The manifest field that named {@link keys}: `evaluation.predictions.key` or `data.key`. */
  keyField: string;
  /** The score columns to load, per role. */
  roles: readonly ScoreRole[];
}

/**
 * Loads `evaluation.predictions.file` keyed by {@link PredictionsFileOptions.keys} (`loadKeyedTable`),
 * after checking that both files hold the key columns and the predictions file every score column;
 * a duplicated or null key, or a score that is not a number, is a {@link UserError} (the table is
 * closed first).
 *
 * @example
 * const table = await openPredictionsFile("models/churn/predictions.csv", { cwd, manifestFile, data, columns, keys: ["id"], keyField: "data.key", roles });
 * await table.lookup(["17"]); // { columns: [Float64Array [0.73]], found: Uint8Array [1] }
 */
export async function openPredictionsFile(
  path: string,
  options: PredictionsFileOptions,
): Promise<KeyedTable> {
  const { keys, keyField, roles } = options;
  const file = options.manifestFile;
  for (const key of keys) {
    if (options.columns.has(key)) continue;
    throw new UserError(
      `the evaluation data ${options.data} has no key column "${key}" to join predictions by`,
      {
        file,
        field: keyField,
        fix: "name a column that both the evaluation data and the predictions file hold (evaluation.predictions.key)",
      },
    );
  }
  const origin = { file, field: "evaluation.predictions.file" };
  const schema = new Map(
    (await readTableSchema(path, { cwd: options.cwd, origin })).map((c) => [c.name, c.kind]),
  );
  const known = [...schema.keys()].slice(0, 30).join(", ");
  for (const key of keys) {
    if (schema.has(key)) continue;
    throw new UserError(`the predictions file ${path} has no key column "${key}"; its columns are ${known}`, {
      file,
      field: keyField,
      fix: "write the key column into the predictions file, or name the one it has in evaluation.predictions.key",
    });
  }
  for (const { role, columns } of roles) {
    const missing = columns.filter((c) => !schema.has(c));
    if (missing.length === 0) continue;
    throw new UserError(
      `the predictions file ${path} has no column ${missing.map((c) => `"${c}"`).join(", ")} (${role} scores); its columns are ${known}`,
      {
        file,
        field: `evaluation.predictions.${role}`,
        fix: `name the ${role}'s score columns of ${path}`,
      },
    );
  }
  const kinds = Object.fromEntries(keys.map((k) => [k, options.columns.get(k)!]));
  const table = await loadKeyedTable(path, {
    cwd: options.cwd,
    origin,
    keys,
    columns: roles.flatMap((r) => r.columns),
    kinds,
  });
  try {
    checkKeyedTable(table, path, keys, file);
  } catch (error) {
    await table.close();
    throw error;
  }
  return table;
}

function checkKeyedTable(table: KeyedTable, path: string, keys: readonly string[], file: string): void {
  const keyText = keys.join(", ");
  if (table.duplicates.count > 0) {
    const first = table.duplicates.first.map(
      (d) => `${JSON.stringify(d.key.replaceAll("\u0000", ", "))} × ${d.count}`,
    );
    throw new UserError(
      `the predictions file ${path} has ${table.duplicates.count} duplicated ${keyText} value${table.duplicates.count === 1 ? "" : "s"} (first: ${first.join("; ")}), so a row's scores are ambiguous`,
      {
        file,
        field: "evaluation.predictions.file",
        fix: `keep one row of scores per ${keyText} in ${path} (drop repeated scoring runs), or join by a key that is unique there (evaluation.predictions.key)`,
      },
    );
  }
  if (table.nullKeys.count > 0) {
    throw new UserError(
      `the predictions file ${path} has ${table.nullKeys.count} row${table.nullKeys.count === 1 ? "" : "s"} without a ${keyText} (first: ${table.nullKeys.first})`,
      {
        file,
        field: "evaluation.predictions.key",
        fix: `write the ${keyText} of every row of scores in ${path}`,
      },
    );
  }
  if (table.unparsed.count > 0) {
    throw new UserError(
      `the predictions file ${path} has ${table.unparsed.count} score ${table.unparsed.count === 1 ? "cell that is not a number" : "cells that are not numbers"} (first: ${table.unparsed.first})`,
      {
        file,
        field: "evaluation.predictions.file",
        fix: "write scores as plain numbers (e.g. 0.731), one per cell",
      },
    );
  }
}
