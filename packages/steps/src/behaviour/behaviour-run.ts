import {
  type Batch,
  type ColumnKind,
  classPredictions,
  type directionalClasses,
  type Manifest,
  type Predictions,
  singlePredictions,
} from "@gauntlet/core";
import type { Scores } from "@gauntlet/model";
import type { ShadowModel } from "../shadow/shadow-models.js";

/** What the behavioural tests of one run share: the manifest's settings and the loaded models. */
export interface BehaviourRun {
  manifest: Manifest;
  file: string;
  spec: NonNullable<Manifest["behaviour"]>;
  /** The workspace, and the rows the probes start from when the caller names them. */
  cwd: string;
  data: string | undefined;
  task: Manifest["task"];
  classes: string[];
  positive: string;
  /** The model's input columns. */
  columns: string[];
  /** The data contract's column kinds, for reading rows. */
  contractKinds: Record<string, ColumnKind>;
  threshold: number;
  seed: number;
  directionClass: ReturnType<typeof directionalClasses>;
  candidate: ShadowModel;
  production: ShadowModel | undefined;
  models: ShadowModel[];
  /** One model's predictions of a batch, and both models'. */
  score(model: ShadowModel, batch: Batch): Promise<Predictions>;
  both(batch: Batch): Promise<{ candidate: Predictions; production: Predictions | null }>;
}

/** What a test's value measures the spread or change of, per task. */
export const PREDICTION_UNIT: Record<Manifest["task"], string> = {
  binary: "score",
  multiclass: "class probabilities",
  regression: "predicted value",
};

/**
 * The model's outputs as behavioural tests read them: the positive-class score (binary), the class
 * probabilities (multiclass; a model that gives only labels is read as probability 1 for its label)
 * or the predicted value (regression).
 */
export function predictions(scores: Scores, task: Manifest["task"], classes: readonly string[]): Predictions {
  if (task === "binary") return singlePredictions("binary", scores.score!);
  if (task === "regression") return singlePredictions("regression", scores.value!);
  if (scores.probabilities) return classPredictions(scores.probabilities, scores.classCount!);
  const width = classes.length;
  const oneHot = new Float64Array(scores.rows * width).fill(0);
  const labels = scores.label!;
  for (let r = 0; r < scores.rows; r++) {
    const k = classes.indexOf(String(labels[r]));
    if (k >= 0) oneHot[r * width + k] = 1;
    else for (let j = 0; j < width; j++) oneHot[r * width + j] = Number.NaN;
  }
  return classPredictions(oneHot, width);
}
