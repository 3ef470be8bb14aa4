import { type Column, type ProfilePrediction, type Task, UserError } from "@gauntlet/core";
import type { Scores, SignatureMapping } from "@gauntlet/model";

/** A model's predictions for one batch, as a column to profile. */
export interface PredictionColumn {
  kind: ProfilePrediction["kind"];
  column: Column;
}

/**
 * What a model predicted for one batch, as the column `drift-check` compares with the logged
 * score: a binary classifier's positive-class probability (a number); a multiclass classifier's
 * predicted class (a category: the most probable of `artefact.classes`, first on ties, or the
 * label output when the model names no probabilities); a regressor's value (a number). A binary
 * model without probabilities also gives its predicted class. A model with nothing of the kind to
 * read is a {@link UserError} on `artefact.outputs`.
 *
 * @example
 * predictionColumn("binary", scores, mapping, "models/churn/model.yml");
 * // { kind: "score", column: { kind: "number", values: Float64Array [0.12, 0.87, …], nulls } }
 */
export function predictionColumn(
  task: Task,
  scores: Scores,
  mapping: SignatureMapping,
  manifestFile: string,
): PredictionColumn {
  const rows = scores.rows;
  if (task === "binary" && scores.score) return { kind: "score", column: numbers(scores.score) };
  if (task === "regression") {
    if (scores.value) return { kind: "value", column: numbers(scores.value) };
    throw new UserError("the model gives no value output, which a regression reference profile needs", {
      file: manifestFile,
      field: "artefact.outputs.value",
      fix: "name the model's prediction output under artefact.outputs.value",
    });
  }
  const names = mapping.classes?.map(String);
  const values = new Array<string>(rows);
  if (scores.probabilities && scores.classCount) {
    const width = scores.classCount;
    for (let i = 0; i < rows; i++) {
      let best = 0;
      for (let c = 1; c < width; c++) {
        if (scores.probabilities[i * width + c]! > scores.probabilities[i * width + best]!) best = c;
      }
      values[i] = names?.[best] ?? String(best);
    }
  } else if (scores.label) {
    for (let i = 0; i < rows; i++) values[i] = String(scores.label[i]);
  } else {
    throw new UserError(
      `the model gives neither probabilities nor labels to profile its ${task} predictions`,
      {
        file: manifestFile,
        field: "artefact.outputs.probabilities",
        fix: "name the model's class-probability output under artefact.outputs.probabilities (or its label output under artefact.outputs.label)",
      },
    );
  }
  return { kind: "class", column: { kind: "category", values, nulls: new Uint8Array(rows) } };
}

/** A NaN score is a null, as the readers mark missing numbers; the health check reports it. */
function numbers(values: Float64Array): Column {
  const nulls = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) nulls[i] = 1;
  return { kind: "number", values, nulls };
}
