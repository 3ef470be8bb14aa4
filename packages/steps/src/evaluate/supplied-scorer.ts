import { type Batch, keyIdentity, type Manifest, UserError } from "@gauntlet/core";
import type { KeyedTable } from "@gauntlet/data";

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

/** One model's supplied score columns, as `evaluation.predictions.candidate`/`baseline` names them. */
export interface ScoreRole {
  role: "candidate" | "baseline";
  columns: string[];
}

/** What {@link suppliedScorer} needs: the role's columns, the task and where the scores come from. */
export interface ScorerSpec extends ScoreRole {
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

/**
 * One role's {@link SuppliedScorer}: reads its score columns from each batch (or looks the batch's
 * keys up in the predictions file), puts them in the task's layout, and tallies the rows without
 * usable scores for {@link SuppliedScorer.finish}.
 *
 * @example
 * const scorer = suppliedScorer({ role: "candidate", columns: ["score"], task: "binary", positiveIndex: 1, manifestFile });
 * await scorer.score(batch); // Float64Array of the batch's score column
 * scorer.finish(); // undefined when every row had a score in [0, 1]
 */
export function suppliedScorer(spec: ScorerSpec): SuppliedScorer {
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
