import {
  type Batch,
  type Column,
  type ColumnKind,
  cellValueText,
  createRequestIdFilter,
  selectRows,
  type Task,
  UserError,
} from "@gauntlet/core";
import { readTable } from "@gauntlet/data";
import { checkWeightCells } from "../evaluate/weight-column.js";
import type { ShadowPlan } from "./shadow-plan.js";

/** The kept rows of one log batch, features under their plain names. */
export interface LogBatch {
  source: string;
  /** Model inputs and slice columns, renamed. */
  batch: Batch;
  ids: string[];
  champion: Float64Array;
  /** Logged candidate scores, when the log has them. */
  challenger: Float64Array | null;
  championLatency: Float64Array | null;
  challengerLatency: Float64Array | null;
  /** Binary: 1 positive, 0 negative; multiclass: the class index; regression: the value; `NaN` not arrived. */
  outcome: Float64Array;
  /** Each kept row's sample weight (`shadow.weight`), checked finite and ≥ 0; `null` without one. */
  weight: Float64Array | null;
}

/** Rows read and rows left out, by reason; filled in while the log streams. */
export interface LogCounts {
  rows: number;
  files: Set<string>;
  duplicateIds: number;
  duplicateExamples: readonly string[];
  missingId: number;
  missingChampionScore: number;
  missingChallengerScore: number;
  otherVersions: Map<string, number>;
  versions: Map<string, number>;
}

/** What {@link readShadowLog} needs besides the plan. */
export interface ReadShadowLogOptions {
  log: string;
  cwd: string;
  /** Rows logged under another version than this are skipped (when the plan has a version field). */
  version?: string | undefined;
  /** The positive class, as text, for the outcome column (binary). */
  positive: string;
  /**
   * Multiclass: `artefact.classes` as text. The logged champion and challenger fields then hold a
   * predicted class (one of these), or are lists of per-class probability columns in this order
   * whose most probable class is taken; either is read as the class's index, as is the outcome; a
   * value that is none of the classes, or probabilities not summing to 1, is a {@link UserError}. Regression logs need nothing: the outcome is read as a number.
   */
  classes?: readonly string[] | undefined;
  /** Default binary. */
  task?: Task | undefined;
  /** The manifest, named with `shadow.weight` by a bad weight. */
  manifestFile?: string | undefined;
  kinds?: Record<string, ColumnKind>;
  batchSize?: number;
}

/**
 * Streams the log and keeps the rows that can be compared: the logged version matches (rows of
 * other versions are counted by version), the request id is new (repeats are counted and the
 * first occurrence kept), and the champion score is present. A logged score that is text rather
 * than a number is a {@link UserError} naming the log, row and field. Memory stays bounded by one batch
 * plus 8 bytes per distinct request id.
 *
 * @example
 * const counts = emptyLogCounts();
 * for await (const part of readShadowLog(plan, { log: "logs/shadow.jsonl", cwd, positive: "1" }, counts)) {
 *   part.champion; // Float64Array of served scores of the kept rows
 * }
 */
export async function* readShadowLog(
  plan: ShadowPlan,
  options: ReadShadowLogOptions,
  counts: LogCounts,
): AsyncGenerator<LogBatch> {
  const ids = createRequestIdFilter();
  const { fields } = plan;
  const classes = options.task === "multiclass" ? classIndex(options.classes ?? []) : undefined;
  const kinds: Record<string, ColumnKind> = {
    ...options.kinds,
    [fields.id]: "category",
    ...(fields.version ? { [fields.version]: "category" } : {}),
    // Read as numbers whatever the log holds: a weight that is not one is then an invalid cell.
    ...(fields.weight ? { [fields.weight]: "number" } : {}),
  };
  for await (const batch of readTable(options.log, {
    cwd: options.cwd,
    columns: plan.columns,
    kinds,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  })) {
    counts.rows += batch.length;
    counts.files.add(batch.source);
    if (fields.weight) {
      checkWeightCells(batch, fields.weight, {
        file: options.manifestFile ?? batch.source,
        field: "shadow.weight",
      });
    }
    const id = batch.columns.get(fields.id);
    // Lists of per-class probability columns are multiclass only (compareShadow refuses others).
    const champion = batch.columns.get(String(fields.champion));
    const challenger = fields.challenger ? batch.columns.get(String(fields.challenger)) : undefined;
    const version = fields.version ? batch.columns.get(fields.version) : undefined;
    const keep: number[] = [];
    const keptIds: string[] = [];
    for (let i = 0; i < batch.length; i++) {
      if (fields.version) {
        const logged = version ? (cellValueText(version, i) ?? "(none)") : "(none)";
        counts.versions.set(logged, (counts.versions.get(logged) ?? 0) + 1);
        if (options.version !== undefined && logged !== options.version) {
          counts.otherVersions.set(logged, (counts.otherVersions.get(logged) ?? 0) + 1);
          continue;
        }
      }
      const text = id ? cellValueText(id, i) : undefined;
      if (text === undefined || text === "") {
        counts.missingId++;
        continue;
      }
      if (!ids.first(text)) continue;
      if (classes) {
        if (predictedClass(batch, fields.champion, i, classes, "champion") === undefined) {
          counts.missingChampionScore++;
          continue;
        }
        if (fields.challenger) predictedClass(batch, fields.challenger, i, classes, "challenger");
      } else if (!champion || !Number.isFinite(numberAt(champion, i))) {
        if (champion) requireNumber(batch, champion, i, String(fields.champion), "champion");
        counts.missingChampionScore++;
        continue;
      } else if (challenger) requireNumber(batch, challenger, i, String(fields.challenger), "challenger");
      keep.push(i);
      keptIds.push(text);
    }
    counts.duplicateIds = ids.duplicates;
    counts.duplicateExamples = ids.examples;
    if (keep.length === 0) continue;
    const rows = Uint32Array.from(keep);
    const pick = (name: string | undefined) => (name ? numbers(batch.columns.get(name), rows) : null);
    const outcome = fields.outcome ? batch.columns.get(fields.outcome) : undefined;
    yield {
      source: batch.source,
      batch: selectRows(batch, rows, plan.features),
      ids: keptIds,
      champion: classes
        ? classIndices(batch, fields.champion, rows, classes, "champion")
        : numbers(champion, rows),
      challenger: !fields.challenger
        ? null
        : classes
          ? classIndices(batch, fields.challenger, rows, classes, "challenger")
          : numbers(challenger, rows),
      championLatency: pick(fields.championLatency),
      challengerLatency: pick(fields.challengerLatency),
      weight: pick(fields.weight),
      outcome: classes
        ? classIndices(batch, fields.outcome, rows, classes, "outcome")
        : options.task === "regression"
          ? numbers(outcome, rows)
          : outcomes(outcome, rows, options.positive),
    };
  }
}

/**
 * Fresh counters for {@link readShadowLog}.
 *
 * @example
 * emptyLogCounts().rows; // 0
 */
export function emptyLogCounts(): LogCounts {
  return {
    rows: 0,
    files: new Set(),
    duplicateIds: 0,
    duplicateExamples: [],
    missingId: 0,
    missingChampionScore: 0,
    missingChallengerScore: 0,
    otherVersions: new Map(),
    versions: new Map(),
  };
}

/**
 * A logged score that is there but is not a number (`"high"`, `true`) means the manifest names
 * the wrong field or the logger is broken: comparing without those rows would be silently
 * skewed, so it is an error. A missing score (null, absent) is only counted.
 */
function requireNumber(batch: Batch, column: Column, i: number, name: string, role: string): void {
  const unparsed = batch.invalid.get(name)?.find((cell) => cell.row === batch.firstRow + i)?.raw;
  const text = unparsed ?? (column.kind === "number" ? undefined : cellValueText(column, i));
  if (
    text === undefined ||
    text === "" ||
    !Number.isNaN(Number(text)) ||
    /^[+-]?(nan|inf(inity)?)$/i.test(text)
  )
    return;
  throw new UserError(
    `row ${batch.firstRow + i} has the ${role} score ${JSON.stringify(text.slice(0, 40))} in field "${name}", not a number`,
    {
      file: batch.source,
      field: `shadow.${role}`,
      fix: `log the ${role === "champion" ? "served" : "candidate"} score as a number (e.g. 0.73), or point shadow.${role} at the field that holds it`,
    },
  );
}

/** Class text → index, for {@link classAt}. */
function classIndex(classes: readonly string[]): Map<string, number> {
  return new Map(classes.map((c, i) => [c, i]));
}

/** Probabilities logged for one request may sum to 1 give or take this (as `evaluation.predictions`). */
const SUM_TOLERANCE = 0.005;

/**
 * The class a model predicted for row `i`: the logged class (one column), or the most probable
 * class of the per-class probability columns (in `artefact.classes` order; the first on ties).
 * `undefined` when nothing is logged; probabilities that are not numbers or do not sum to 1 are a
 * {@link UserError} naming the row and the columns.
 */
function predictedClass(
  batch: Batch,
  names: string | readonly string[],
  i: number,
  classes: ReadonlyMap<string, number>,
  role: "champion" | "challenger" | "outcome",
): number | undefined {
  if (typeof names === "string") {
    const column = batch.columns.get(names);
    return column ? classAt(batch, column, names, i, classes, role) : undefined;
  }
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const [j, name] of names.entries()) {
    const column = batch.columns.get(name);
    const p = column ? numberAt(column, i) : Number.NaN;
    if (!Number.isFinite(p)) {
      if (column) requireNumber(batch, column, i, name, role);
      return undefined;
    }
    sum += p;
    if (p > bestValue) {
      best = j;
      bestValue = p;
    }
  }
  if (Math.abs(sum - 1) > SUM_TOLERANCE) {
    throw new UserError(
      `row ${batch.firstRow + i} has ${role} class probabilities (${names.join(", ")}) that sum to ${sum.toFixed(4)}, not 1`,
      {
        file: batch.source,
        field: `shadow.${role}`,
        fix: `log one probability per class of artefact.classes, in that order, summing to 1 (within ${SUM_TOLERANCE}), or log the predicted class in one field`,
      },
    );
  }
  return best;
}

/**
 * The index of the class logged in row `i`, `undefined` when none is logged; a value that is not
 * one of the classes means the manifest names the wrong field or the logger writes another label
 * set: comparing without those rows would be silently skewed, so it is an error.
 */
function classAt(
  batch: Batch,
  column: Column,
  name: string,
  i: number,
  classes: ReadonlyMap<string, number>,
  role: "champion" | "challenger" | "outcome",
): number | undefined {
  const unparsed = batch.invalid.get(name)?.find((cell) => cell.row === batch.firstRow + i)?.raw;
  const text = unparsed ?? cellValueText(column, i);
  if (text === undefined || text === "") return undefined;
  const index = classes.get(text);
  if (index !== undefined) return index;
  const field = role === "outcome" ? "monitoring.outcome" : `shadow.${role}`;
  throw new UserError(
    `row ${batch.firstRow + i} has the ${role === "outcome" ? "outcome" : `${role} class`} ${JSON.stringify(text.slice(0, 40))} in field "${name}", which is not one of artefact.classes (${[...classes.keys()].join(", ")})`,
    {
      file: batch.source,
      field,
      fix:
        role === "outcome"
          ? "log the true class as one of artefact.classes, or name the outcome field with the outcome input"
          : `log the predicted class as one of artefact.classes (the class, not its probability), or point ${field} at the field that holds it`,
    },
  );
}

function classIndices(
  batch: Batch,
  names: string | readonly string[] | undefined,
  rows: Uint32Array,
  classes: ReadonlyMap<string, number>,
  role: "champion" | "challenger" | "outcome",
): Float64Array {
  const out = new Float64Array(rows.length).fill(Number.NaN);
  if (names !== undefined) {
    for (let k = 0; k < rows.length; k++)
      out[k] = predictedClass(batch, names, rows[k]!, classes, role) ?? Number.NaN;
  }
  return out;
}

function numberAt(column: Column, i: number): number {
  if (column.nulls[i]) return Number.NaN;
  if (column.kind === "number") return column.values[i]!;
  if (column.kind === "category") return column.values[i] === "" ? Number.NaN : Number(column.values[i]);
  return Number.NaN;
}

function numbers(column: Column | undefined, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length).fill(Number.NaN);
  if (column) for (let k = 0; k < rows.length; k++) out[k] = numberAt(column, rows[k]!);
  return out;
}

function outcomes(column: Column | undefined, rows: Uint32Array, positive: string): Float64Array {
  const out = new Float64Array(rows.length).fill(Number.NaN);
  if (!column) return out;
  for (let k = 0; k < rows.length; k++) {
    const text = cellValueText(column, rows[k]!);
    if (text !== undefined) out[k] = text === positive ? 1 : 0;
  }
  return out;
}
