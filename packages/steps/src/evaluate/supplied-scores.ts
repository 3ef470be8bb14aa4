import {
  type Batch,
  type ColumnKind,
  keyIdentity,
  type Manifest,
  type SuppliedPredictions,
  UserError,
} from "@gauntlet/core";
import { type KeyedTable, loadKeyedTable, readTableSchema, resolveDataPaths } from "@gauntlet/data";
import { sha256File } from "@gauntlet/model";

/**
 * How far a row's supplied class probabilities may sum from 1: files round probabilities (three
 * classes at 0.333 sum to 0.999), and rounding to 3 decimals stays within this for up to 10
 * classes; a sum further off is not a probability distribution.
 *
 * @example
 * Math.abs(0.333 * 3 - 1) <= PROBABILITY_SUM_TOLERANCE; // true
 */
export const PROBABILITY_SUM_TOLERANCE = 0.005;

/** How many offending rows an error quotes. */
const QUOTED = 3;

/** One model's supplied scores, read batch by batch as `scoreRows` reads a model's. */
export interface SuppliedScorer {
  /** How messages name it: `the candidate's supplied scores (score)`. */
  label: string;
  /** Evaluation-data columns this scorer reads: the score columns, or the key of a predictions file. */
  dataColumns: string[];
  /** Multiclass: classes per row of {@link score}'s row-major probabilities. */
  classes: number | undefined;
  /** The batch's scores in the task's layout (binary: positive-class score; multiclass: rows × classes; regression: values). */
  score(batch: Batch): Promise<Float64Array>;
  /** The error for rows that had no usable scores, once every batch is scored; `undefined` when all were usable. */
  finish(): UserError | undefined;
}

/** The supplied scores of an evaluation: candidate, baseline when named, and what `evaluation.json` records. */
export interface SuppliedScores {
  candidate: SuppliedScorer;
  baseline: SuppliedScorer | undefined;
  /** Index of `artefact.positive` among `artefact.classes` (binary). */
  positiveIndex: number | undefined;
  record: SuppliedPredictions;
  close(): Promise<void>;
}

/** What {@link openSuppliedScores} needs. */
export interface SuppliedOptions {
  cwd: string;
  manifestFile: string;
  /** The evaluation data (file or glob) being read. */
  data: string;
  /** The evaluation data's columns and kinds (at least the predictions' and key columns). */
  columns: ReadonlyMap<string, ColumnKind>;
}

/**
 * Opens `evaluation.predictions`: score columns of the evaluation data itself, or of a predictions
 * file joined to it by key in DuckDB (`loadKeyedTable`). Before any row is scored it checks that
 * every named column exists and, for a file, that no key is duplicated, null or paired with a
 * non-number; while scoring it counts evaluation rows with no predictions, null scores,
 * probabilities outside [0, 1] and class probabilities that do not sum to 1 (within
 * {@link PROBABILITY_SUM_TOLERANCE}), each a {@link UserError} from `finish`. Records the SHA-256
 * of every file the scores came from.
 *
 * @example
 * const supplied = await openSuppliedScores(manifest, { cwd, manifestFile, data: "data/eval.csv", columns });
 * await supplied.candidate.score(batch); // Float64Array of positive-class scores
 * supplied.record.files; // [{ path: "models/churn/predictions.csv", sha256: "9f86d0…" }]
 */
export async function openSuppliedScores(
  manifest: Manifest,
  options: SuppliedOptions,
): Promise<SuppliedScores> {
  const spec = manifest.evaluation!.predictions!;
  const file = options.manifestFile;
  const task = manifest.task;
  const classes = manifest.artefact.classes;
  const positiveIndex =
    task === "binary" && classes && manifest.artefact.positive !== undefined
      ? classes.indexOf(manifest.artefact.positive)
      : undefined;
  const roles = (["candidate", "baseline"] as const).flatMap((role) => {
    const named = spec[role];
    return named === undefined ? [] : [{ role, columns: typeof named === "string" ? [named] : named }];
  });
  const keys = spec.file
    ? (() => {
        const key = spec.key ?? manifest.data?.key;
        return typeof key === "string" ? [key] : [...(key ?? [])];
      })()
    : [];
  const keyField = spec.key !== undefined ? "evaluation.predictions.key" : "data.key";
  let table: KeyedTable | undefined;
  let source: string;
  if (spec.file) {
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
      (await readTableSchema(spec.file, { cwd: options.cwd, origin })).map((c) => [c.name, c.kind]),
    );
    const known = [...schema.keys()].slice(0, 30).join(", ");
    for (const key of keys) {
      if (schema.has(key)) continue;
      throw new UserError(
        `the predictions file ${spec.file} has no key column "${key}"; its columns are ${known}`,
        {
          file,
          field: keyField,
          fix: "write the key column into the predictions file, or name the one it has in evaluation.predictions.key",
        },
      );
    }
    for (const { role, columns } of roles) {
      const missing = columns.filter((c) => !schema.has(c));
      if (missing.length === 0) continue;
      throw new UserError(
        `the predictions file ${spec.file} has no column ${missing.map((c) => `"${c}"`).join(", ")} (${role} scores); its columns are ${known}`,
        {
          file,
          field: `evaluation.predictions.${role}`,
          fix: `name the ${role}'s score columns of ${spec.file}`,
        },
      );
    }
    const kinds = Object.fromEntries(keys.map((k) => [k, options.columns.get(k)!]));
    table = await loadKeyedTable(spec.file, {
      cwd: options.cwd,
      origin,
      keys,
      columns: roles.flatMap((r) => r.columns),
      kinds,
    });
    try {
      checkKeyedTable(table, spec.file, keys, file);
    } catch (error) {
      await table.close();
      throw error;
    }
    source = spec.file;
  } else {
    for (const { role, columns } of roles) {
      const missing = columns.filter((c) => !options.columns.has(c));
      if (missing.length === 0) continue;
      throw new UserError(
        `the evaluation data ${options.data} has no column ${missing.map((c) => `"${c}"`).join(", ")} (${role} scores); its columns include ${[...options.columns.keys()].slice(0, 30).join(", ")}`,
        {
          file,
          field: `evaluation.predictions.${role}`,
          fix: "name the score columns the evaluation data holds, or set evaluation.predictions.file to the file that holds them",
        },
      );
    }
    source = options.data;
  }
  const where = { file, field: spec.file ? "evaluation.predictions.file" : "evaluation.data" };
  const record: SuppliedPredictions = {
    source,
    files: await Promise.all(
      (await resolveDataPaths(source, options.cwd, where)).map(async (f) => ({
        path: f.display,
        sha256: await sha256File(f.path, where),
      })),
    ),
    key: spec.file ? keys : null,
    candidate: roles[0]!.columns,
    baseline: roles[1]?.columns ?? null,
  };
  const offset = roles.map((_, r) => roles.slice(0, r).reduce((n, x) => n + x.columns.length, 0));
  const scorers = roles.map(({ role, columns }, r) =>
    suppliedScorer({
      role,
      columns,
      task,
      positiveIndex,
      manifestFile: file,
      ...(table && spec.file
        ? {
            table: {
              table,
              keys,
              offset: offset[r]!,
              count: roles.reduce((n, x) => n + x.columns.length, 0),
              file: spec.file,
            },
          }
        : {}),
    }),
  );
  return {
    candidate: scorers[0]!,
    baseline: scorers[1],
    positiveIndex,
    record,
    close: async () => {
      await table?.close();
    },
  };
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

interface ScorerSpec {
  role: "candidate" | "baseline";
  columns: readonly string[];
  task: Manifest["task"];
  positiveIndex: number | undefined;
  manifestFile: string;
  /** A predictions file: this role's columns are `count` looked-up columns from `offset` on. */
  table?: { table: KeyedTable; keys: readonly string[]; offset: number; count: number; file: string };
}

/** Counts of rows without usable scores, and the first few of them. */
interface Tally {
  count: number;
  first: string[];
}

function suppliedScorer(spec: ScorerSpec): SuppliedScorer {
  const width = spec.columns.length;
  const label = `the ${spec.role}'s supplied scores (${spec.columns.join(", ")})`;
  const multiclass = spec.task === "multiclass";
  const missing: Tally = { count: 0, first: [] };
  const nulls: Tally = { count: 0, first: [] };
  const outOfRange: Tally = { count: 0, first: [] };
  const badSum: Tally = { count: 0, first: [] };
  let rows = 0;
  const note = (tally: Tally, text: () => string) => {
    tally.count++;
    if (tally.first.length < QUOTED) tally.first.push(text());
  };
  const rowName = (batch: Batch, i: number, keys: readonly string[], keyText: string | undefined) =>
    keyText !== undefined
      ? `${keys.join(", ")} ${JSON.stringify(keyText.replaceAll("\u0000", ", "))}`
      : `${batch.source} row ${batch.firstRow + i}`;

  return {
    label,
    dataColumns: spec.table ? [...spec.table.keys] : [...spec.columns],
    classes: multiclass ? width : undefined,
    async score(batch) {
      const n = batch.length;
      rows += n;
      let values: Float64Array[];
      let keyTexts: (string | undefined)[] = [];
      let found: Uint8Array | undefined;
      if (spec.table) {
        const keyColumns = spec.table.keys.map((k) => batch.columns.get(k));
        keyTexts = Array.from({ length: n }, (_, i) => keyIdentity(keyColumns, i));
        const looked = await spec.table.table.lookup(keyTexts);
        values = looked.columns.slice(spec.table.offset, spec.table.offset + width);
        found = looked.found;
      } else {
        values = spec.columns.map((name) => {
          const column = batch.columns.get(name);
          if (column && column.kind !== "number") {
            throw new UserError(
              `${label}: the column ${name} of ${batch.source} holds ${column.kind} values, not numbers`,
              {
                file: spec.manifestFile,
                field: `evaluation.predictions.${spec.role}`,
                fix: `write plain numbers (e.g. 0.731) in ${name}, or name the column that holds the scores`,
              },
            );
          }
          const out = new Float64Array(n).fill(Number.NaN);
          if (column?.kind === "number") {
            for (let i = 0; i < n; i++) if (column.nulls[i] !== 1) out[i] = column.values[i]!;
          }
          return out;
        });
      }
      const keys = spec.table?.keys ?? [];
      const out = new Float64Array(multiclass ? n * width : n);
      for (let i = 0; i < n; i++) {
        if (found && found[i] !== 1) {
          note(
            missing,
            () => rowName(batch, i, keys, keyTexts[i]) + (keyTexts[i] === undefined ? " (no key)" : ""),
          );
          out.fill(Number.NaN, multiclass ? i * width : i, multiclass ? (i + 1) * width : i + 1);
          continue;
        }
        let sum = 0;
        let usable = true;
        for (let c = 0; c < width; c++) {
          const v = values[c]![i]!;
          if (Number.isNaN(v)) usable = false;
          sum += v;
        }
        if (!usable) {
          note(nulls, () => rowName(batch, i, keys, keyTexts[i] ?? undefined));
        } else if (spec.task !== "regression") {
          const bad = values.find((column) => column[i]! < 0 || column[i]! > 1);
          if (bad) note(outOfRange, () => `${rowName(batch, i, keys, keyTexts[i])} = ${bad[i]}`);
          else if (width > 1 && Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE + 1e-12) {
            note(
              badSum,
              () => `${rowName(batch, i, keys, keyTexts[i])} sums to ${Number(sum.toPrecision(6))}`,
            );
          }
        } else if (!Number.isFinite(values[0]![i]!)) {
          note(outOfRange, () => `${rowName(batch, i, keys, keyTexts[i])} = ${values[0]![i]}`);
        }
        if (multiclass) for (let c = 0; c < width; c++) out[i * width + c] = values[c]![i]!;
        else out[i] = width === 1 ? values[0]![i]! : values[spec.positiveIndex ?? 1]![i]!;
      }
      return out;
    },
    finish() {
      const file = spec.manifestFile;
      const source = spec.table ? `the predictions file ${spec.table.file}` : "the evaluation data";
      const columns = spec.columns.join(", ");
      const field = `evaluation.predictions.${spec.role}`;
      if (missing.count > 0 && spec.table) {
        return new UserError(
          `${missing.count} of ${rows} evaluation rows have no ${spec.role} scores in ${spec.table.file} (first: ${missing.first.join("; ")})`,
          {
            file,
            field: "evaluation.predictions.file",
            fix: `score every evaluation row and write its ${spec.table.keys.join(", ")} with the scores (or evaluate only the rows that were scored)`,
          },
        );
      }
      if (nulls.count > 0) {
        return new UserError(
          `${label}: ${nulls.count} of ${rows} rows have an empty score in ${source} (first: ${nulls.first.join("; ")})`,
          { file, field, fix: `fill every row's ${columns} with a number` },
        );
      }
      if (outOfRange.count > 0) {
        return new UserError(
          spec.task === "regression"
            ? `${label}: ${outOfRange.count} of ${rows} rows have an infinite value (first: ${outOfRange.first.join("; ")})`
            : `${label}: ${outOfRange.count} of ${rows} rows have a probability outside [0, 1] (first: ${outOfRange.first.join("; ")})`,
          {
            file,
            field,
            fix:
              spec.task === "regression"
                ? "write finite predicted values"
                : "supply probabilities (apply the sigmoid or softmax to raw scores), not logits or margins",
          },
        );
      }
      if (badSum.count > 0) {
        return new UserError(
          `${label}: on ${badSum.count} of ${rows} rows the class probabilities do not sum to 1 within ${PROBABILITY_SUM_TOLERANCE} (first: ${badSum.first.join("; ")})`,
          {
            file,
            field,
            fix: `list every class's probability column, in artefact.classes order (${width} named), and normalise each row to sum to 1`,
          },
        );
      }
      return undefined;
    },
  };
}
