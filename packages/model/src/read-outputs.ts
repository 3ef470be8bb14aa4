import { type Batch, UserError } from "@gauntlet/core";
import type * as ort from "onnxruntime-node";
import type { SignatureMapping } from "./check-signature.js";
import { emptyHealth, MAX_BAD_ROWS, PROBABILITY_TOLERANCE, type ScoreHealth } from "./score-health.js";

/** The model's outputs for the rows of one batch, as plain arrays in row order. */
export interface Scores {
  rows: number;
  /** Binary models: the positive-class probability of each row. */
  score?: Float64Array;
  /** Multiclass models: probabilities row-major, `rows × classCount`, classes in output order. */
  probabilities?: Float64Array;
  classCount?: number;
  /** Predicted labels: integer and float labels as numbers, string labels as strings. */
  label?: Float64Array | string[];
  /** Regression predictions. */
  value?: Float64Array;
  health: ScoreHealth;
}

/**
 * Empty scores for a batch of `rows`, with the arrays the mapping reads allocated up front
 * (multiclass probabilities are allocated once the class count is seen).
 *
 * @example
 * createScores(mapping, 1000); // { rows: 1000, score: Float64Array(1000), health: { … } }
 */
export function createScores(mapping: SignatureMapping, rows: number): Scores {
  const { probabilities, label, value } = mapping.outputs;
  const health = probabilities
    ? emptyHealth(probabilities.output, "probabilities")
    : value
      ? emptyHealth(value.output, "value")
      : emptyHealth("", "label");
  health.rows = rows;
  const scores: Scores = { rows, health };
  if (probabilities && mapping.positiveIndex !== undefined) scores.score = new Float64Array(rows);
  if (value) scores.value = new Float64Array(rows);
  if (label) scores.label = new Float64Array(rows);
  return scores;
}

/**
 * Copies one run's outputs, for rows `[offset, offset + n)` of `batch`, into `scores`, counting
 * NaN and out-of-range scores into its health.
 *
 * @example
 * readOutputs(mapping, await session.run(feeds), scores, 0, 1000, batch, "models/churn/model.yml");
 */
export function readOutputs(
  mapping: SignatureMapping,
  outputs: ort.InferenceSession.OnnxValueMapType,
  scores: Scores,
  offset: number,
  n: number,
  batch: Batch,
  manifestFile: string,
): void {
  const { probabilities, label, value } = mapping.outputs;
  const bad = (i: number, v: number): void => {
    if (scores.health.firstRows.length < MAX_BAD_ROWS) {
      scores.health.firstRows.push({ source: batch.source, row: batch.firstRow + offset + i, value: v });
    }
  };
  if (probabilities) {
    const t = outputs[probabilities.output]!;
    const width = rowWidth(t, n, "probabilities", manifestFile);
    const data = t.data as Float32Array | Float64Array;
    if (width === 1 && mapping.positiveIndex === undefined) {
      throw new UserError(`the model output ${t.dims.join("×")} holds one score per row, not one per class`, {
        file: manifestFile,
        field: "artefact.outputs.probabilities",
        fix: "name the [N, C] probabilities output",
      });
    }
    if (width > 1 && mapping.classes && width !== mapping.classes.length) {
      throw new UserError(
        `the model output ${probabilities.output} has ${width} classes but artefact.classes lists ${mapping.classes.length}`,
        {
          file: manifestFile,
          field: "artefact.outputs.probabilities",
          fix: "list every class the model outputs, in output order",
        },
      );
    }
    if (scores.score) {
      const column = width === 1 ? 0 : mapping.positiveIndex!;
      for (let i = 0; i < n; i++) scores.score[offset + i] = data[i * width + column]!;
    } else {
      scores.classCount = width;
      scores.probabilities ??= new Float64Array(scores.rows * width);
      scores.probabilities.set(data, offset * width);
    }
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < width; c++) {
        const v = data[i * width + c]!;
        if (Number.isNaN(v)) {
          scores.health.nanCount++;
          bad(i, v);
          break;
        }
        if (!(v >= -PROBABILITY_TOLERANCE && v <= 1 + PROBABILITY_TOLERANCE)) {
          scores.health.outOfRangeCount++;
          bad(i, v);
          break;
        }
      }
    }
  }
  if (value && scores.value) {
    const t = outputs[value.output]!;
    if (rowWidth(t, n, "value", manifestFile) !== 1) throw notOnePerRow(t, "value", manifestFile);
    const data = t.data as Float32Array | Float64Array;
    scores.value.set(data, offset);
    for (let i = 0; i < n; i++) {
      const v = data[i]!;
      if (Number.isNaN(v)) scores.health.nanCount++;
      else if (!Number.isFinite(v)) scores.health.outOfRangeCount++;
      else continue;
      bad(i, v);
    }
  }
  if (label) {
    const t = outputs[label.output]!;
    if (rowWidth(t, n, "label", manifestFile) !== 1) throw notOnePerRow(t, "label", manifestFile);
    if (t.type === "string") {
      if (!Array.isArray(scores.label)) scores.label = new Array<string>(scores.rows);
      const data = t.data as string[];
      for (let i = 0; i < n; i++) (scores.label as string[])[offset + i] = data[i]!;
    } else {
      const out = scores.label as Float64Array;
      const data = t.data as ArrayLike<number | bigint>;
      for (let i = 0; i < n; i++) out[offset + i] = Number(data[i]!);
    }
  }
}

function rowWidth(t: ort.Tensor, n: number, role: string, manifestFile: string): number {
  if (t.dims[0] !== n || t.dims.length > 2) {
    throw new UserError(`the model returned ${role} of shape [${t.dims.join(", ")}] for ${n} input rows`, {
      file: manifestFile,
      field: `artefact.outputs.${role}`,
      fix: `name an output with one row per input row ([N] or [N, C])`,
    });
  }
  return t.dims.length === 1 ? 1 : t.dims[1]!;
}

function notOnePerRow(t: ort.Tensor, role: string, manifestFile: string): UserError {
  return new UserError(`the model returned ${role} of shape [${t.dims.join(", ")}], more than one per row`, {
    file: manifestFile,
    field: `artefact.outputs.${role}`,
    fix: "name an output of shape [N] or [N, 1]",
  });
}
