import type { Column, ColumnKind } from "@gauntlet/core";
import { UserError } from "@gauntlet/core";

/**
 * A shard's scored rows as its part file carries them: every array base64 of its little-endian
 * bytes, so each number comes back bit for bit. Per row: 8 bytes each for the position, the label
 * and every score (a multiclass model's `classes` of them), 4 for the row id, and each slice
 * column's value (8 bytes, 1 for booleans, the text for categories) and null flag — about
 * 48 characters a row for a binary model with a baseline, plus the slice columns.
 */
export interface PartRows {
  count: number;
  /** Multiclass only: scores per row. */
  classes?: number;
  positions: string;
  labels: string;
  scores: string;
  baselineScores?: string;
  /** Sample weights (`evaluation.weight`), 8 bytes a row; absent when the run has none. */
  weights?: string;
  rowIds: string;
  sliceColumns: PartColumn[];
}

/** One slice column of {@link PartRows}: category values as text, other kinds as base64. */
export type PartColumn =
  | { name: string; kind: Exclude<ColumnKind, "category">; values: string; nulls: string }
  | { name: string; kind: "category"; values: string[]; nulls: string };

/** Every row of a merge, in the data's order, as `evaluate` takes them. */
export interface MergedRows {
  labels: Float64Array;
  scores: Float64Array;
  baselineScores?: Float64Array;
  classes?: number;
  /** Sample weights, when the parts carry them (see `EvaluateInput.weights`). */
  weights?: Float64Array;
  rowIds: Uint32Array;
  sliceColumns: Map<string, Column>;
}

/** The rows {@link encodePartRows} writes: a shard's scored rows. */
export interface ShardRows {
  positions: Float64Array;
  labels: Float64Array;
  scores: Float64Array;
  baselineScores?: Float64Array | undefined;
  classes?: number | undefined;
  /** Sample weights, one per row (see `EvaluateInput.weights`). */
  weights?: Float64Array | undefined;
  rowIds: Uint32Array;
  sliceColumns: ReadonlyMap<string, Column>;
}

const base64 = (a: Float64Array | Uint32Array | Uint8Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");

/**
 * A shard's rows for its part file (see {@link PartRows}).
 *
 * @example
 * encodePartRows({ positions, labels, scores, rowIds, sliceColumns }).count; // the shard's rows
 */
export function encodePartRows(rows: ShardRows): PartRows {
  return {
    count: rows.labels.length,
    ...(rows.classes !== undefined ? { classes: rows.classes } : {}),
    positions: base64(rows.positions),
    labels: base64(rows.labels),
    scores: base64(rows.scores),
    ...(rows.baselineScores ? { baselineScores: base64(rows.baselineScores) } : {}),
    ...(rows.weights ? { weights: base64(rows.weights) } : {}),
    rowIds: base64(rows.rowIds),
    sliceColumns: [...rows.sliceColumns].map(
      ([name, c]): PartColumn =>
        c.kind === "category"
          ? { name, kind: c.kind, values: c.values, nulls: base64(c.nulls) }
          : { name, kind: c.kind, values: base64(c.values), nulls: base64(c.nulls) },
    ),
  };
}

/**
 * Every part's rows joined and put back in the data's order (by position), so a merge evaluates
 * exactly the rows, in exactly the order, of a single run. The parts are untrusted: any array of
 * the wrong length or kind, a position read twice, or slice columns that differ between parts is a
 * {@link UserError} naming the file.
 *
 * @example
 * mergePartRows([{ file: "a.json", rows: partA }, { file: "b.json", rows: partB }]).labels.length; // both parts' rows
 */
export function mergePartRows(parts: readonly { file: string; rows: PartRows }[]): MergedRows {
  const decoded = parts.map((p) => decodePartRows(p.rows, p.file));
  const total = decoded.reduce((n, d) => n + d.positions.length, 0);
  const first = decoded[0]!;
  // Before any array is gathered: a part without an array the first one has is refused, not read.
  decoded.forEach((d, p) => {
    const same =
      d.classes === first.classes &&
      !!d.baselineScores === !!first.baselineScores &&
      !!d.weights === !!first.weights &&
      d.columns.length === first.columns.length &&
      d.columns.every((c, i) => c.name === first.columns[i]!.name && c.kind === first.columns[i]!.kind);
    if (!same) throw corruptRows(parts[p]!.file, "rows", "its columns differ from the other parts'");
  });
  const width = first.classes ?? 1;
  const positions = new Float64Array(total);
  let at = 0;
  for (const d of decoded) {
    positions.set(d.positions, at);
    at += d.positions.length;
  }
  const order = Uint32Array.from({ length: total }, (_, i) => i).sort(
    (a, b) => positions[a]! - positions[b]!,
  );
  for (let k = 1; k < total; k++) {
    if (positions[order[k]!] === positions[order[k - 1]!]) {
      throw corruptRows(parts[0]!.file, "rows.positions", "two parts hold the same row");
    }
  }
  // Where merged row k comes from: part p, row r.
  const partOf = new Uint32Array(total);
  const rowOf = new Uint32Array(total);
  at = 0;
  decoded.forEach((d, p) => {
    for (let r = 0; r < d.positions.length; r++) {
      partOf[at] = p;
      rowOf[at++] = r;
    }
  });
  const gather = <T extends Float64Array | Uint32Array | Uint8Array>(
    make: (n: number) => T,
    pick: (d: DecodedRows) => T,
    w = 1,
  ): T => {
    const out = make(total * w);
    for (let k = 0; k < total; k++) {
      const i = order[k]!;
      const source = pick(decoded[partOf[i]!]!);
      const r = rowOf[i]!;
      for (let j = 0; j < w; j++) out[k * w + j] = source[r * w + j]!;
    }
    return out;
  };
  const f64 = (n: number) => new Float64Array(n);
  const sliceColumns = new Map<string, Column>();
  first.columns.forEach((column, c) => {
    const nulls = gather(
      (n) => new Uint8Array(n),
      (d) => d.columns[c]!.nulls,
    );
    if (column.kind === "category") {
      const values: string[] = new Array(total);
      for (let k = 0; k < total; k++) {
        const i = order[k]!;
        values[k] = (decoded[partOf[i]!]!.columns[c] as { values: string[] }).values[rowOf[i]!]!;
      }
      sliceColumns.set(column.name, { kind: "category", values, nulls });
    } else if (column.kind === "boolean") {
      const values = gather(
        (n) => new Uint8Array(n),
        (d) => d.columns[c]!.values as Uint8Array,
      );
      sliceColumns.set(column.name, { kind: "boolean", values, nulls });
    } else {
      const values = gather(f64, (d) => d.columns[c]!.values as Float64Array);
      sliceColumns.set(column.name, { kind: column.kind, values, nulls });
    }
  });
  const merged: MergedRows = {
    labels: gather(f64, (d) => d.labels),
    scores: gather(f64, (d) => d.scores, width),
    rowIds: gather(
      (n) => new Uint32Array(n),
      (d) => d.rowIds,
    ),
    sliceColumns,
  };
  if (first.baselineScores) merged.baselineScores = gather(f64, (d) => d.baselineScores!, width);
  if (first.weights) merged.weights = gather(f64, (d) => d.weights!);
  if (first.classes !== undefined) merged.classes = first.classes;
  return merged;
}

interface DecodedRows {
  positions: Float64Array;
  labels: Float64Array;
  scores: Float64Array;
  baselineScores?: Float64Array;
  weights?: Float64Array;
  classes?: number;
  rowIds: Uint32Array;
  columns: {
    name: string;
    kind: ColumnKind;
    values: Float64Array | Uint8Array | string[];
    nulls: Uint8Array;
  }[];
}

function decodePartRows(rows: PartRows, file: string): DecodedRows {
  const count = rows?.count;
  if (!Number.isSafeInteger(count) || count < 0) throw corruptRows(file, "rows.count", "not a row count");
  const classes = rows.classes;
  if (classes !== undefined && !(Number.isSafeInteger(classes) && classes >= 2)) {
    throw corruptRows(file, "rows.classes", "not a class count");
  }
  const width = classes ?? 1;
  const bytes = (text: unknown, field: string, size: number): Uint8Array => {
    if (typeof text !== "string") throw corruptRows(file, field, "missing");
    const buffer = Buffer.from(text, "base64");
    if (buffer.length !== size)
      throw corruptRows(file, field, `expected ${size} bytes, found ${buffer.length}`);
    return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
  };
  const f64 = (text: unknown, field: string, n = count) => new Float64Array(bytes(text, field, n * 8).buffer);
  const decoded: DecodedRows = {
    positions: f64(rows.positions, "rows.positions"),
    labels: f64(rows.labels, "rows.labels"),
    scores: f64(rows.scores, "rows.scores", count * width),
    rowIds: new Uint32Array(bytes(rows.rowIds, "rows.rowIds", count * 4).buffer),
    columns: [],
  };
  if (rows.baselineScores !== undefined) {
    decoded.baselineScores = f64(rows.baselineScores, "rows.baselineScores", count * width);
  }
  if (rows.weights !== undefined) {
    decoded.weights = f64(rows.weights, "rows.weights");
    // Untrusted: a weight evaluate could not take is a corrupt part, not a number to propagate.
    if (!decoded.weights.every((w) => Number.isFinite(w) && w >= 0)) {
      throw corruptRows(file, "rows.weights", "not finite non-negative weights");
    }
  }
  if (classes !== undefined) decoded.classes = classes;
  if (!decoded.positions.every((p) => Number.isSafeInteger(p) && p >= 0)) {
    throw corruptRows(file, "rows.positions", "not row positions");
  }
  if (!Array.isArray(rows.sliceColumns)) throw corruptRows(file, "rows.sliceColumns", "not a list");
  for (const [i, c] of rows.sliceColumns.entries()) {
    const field = `rows.sliceColumns[${i}]`;
    if (typeof c?.name !== "string") throw corruptRows(file, field, "no name");
    const nulls = bytes(c.nulls, `${field}.nulls`, count);
    if (c.kind === "category") {
      if (
        !Array.isArray(c.values) ||
        c.values.length !== count ||
        !c.values.every((v) => typeof v === "string")
      ) {
        throw corruptRows(file, `${field}.values`, `expected ${count} texts`);
      }
      decoded.columns.push({ name: c.name, kind: c.kind, values: c.values, nulls });
    } else if (c.kind === "boolean") {
      decoded.columns.push({
        name: c.name,
        kind: c.kind,
        values: bytes(c.values, `${field}.values`, count),
        nulls,
      });
    } else if (c.kind === "number" || c.kind === "timestamp") {
      decoded.columns.push({ name: c.name, kind: c.kind, values: f64(c.values, `${field}.values`), nulls });
    } else {
      throw corruptRows(file, `${field}.kind`, "not a column kind");
    }
  }
  return decoded;
}

function corruptRows(file: string, field: string, problem: string): UserError {
  return new UserError(`not a valid partial evaluation (${field}: ${problem})`, {
    file,
    field,
    fix: "merge only the evaluation.part-*.json files that evaluate-slices wrote with shard; rerun the shard that wrote this one",
  });
}
