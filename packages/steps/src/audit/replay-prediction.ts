import { type ColumnKind, createValueSkew, UserError } from "@gauntlet/core";
import { checkSignature, loadModel, scoreBatch, sha256File } from "@gauntlet/model";
import type { LoadedManifest } from "../load-manifest.js";
import type { LoggedRequest } from "./find-logged-request.js";

/**
 * How far a replayed score may be from the logged one and still be the same score: 16 float32
 * epsilons (2⁻²³ each), ≈ 1.9e-6, absolute for scores up to 1 and relative beyond. onnxruntime
 * computes in float32 (a few units in the last place per operation), and serving systems log
 * scores rounded to 6 decimals (up to 5e-7 off); any real change of input or model moves a score
 * far more.
 */
export const AUDIT_TOLERANCE = 16 * 2 ** -23;

/** A logged score recomputed from the logged inputs with the released model. */
export interface PredictionReplay {
  served: number;
  replayed: number;
  /** |served − replayed|. */
  diff: number;
  tolerance: number;
  reproduces: boolean;
  /** SHA-256 of the model file that was scored. */
  modelSha256: string;
}

/**
 * Scores the logged inputs of one request with the model file of the version that served it,
 * mapped as the manifest maps inputs and outputs, and compares the result with the logged score
 * (within {@link AUDIT_TOLERANCE}, as `createValueSkew` decides). Binary models replay the
 * positive-class probability, regression models the value.
 *
 * @example
 * const replay = await replayPrediction(loaded, logged, "releases/churn-v1.2.0/model.onnx");
 * replay.reproduces; // true
 */
export async function replayPrediction(
  loaded: LoadedManifest,
  logged: LoggedRequest,
  modelPath: string,
): Promise<PredictionReplay> {
  const { manifest, file } = loaded;
  if (manifest.task === "multiclass") {
    throw new UserError("an audit replays one numeric score, and a multiclass model logs several", {
      file,
      field: "task",
      fix: "audit binary classifiers (positive-class score) or regression models (value)",
    });
  }
  const modelSha256 = await sha256File(modelPath, { file, field: "artefact.path" });
  const model = await loadModel(modelPath, { manifestFile: file });
  try {
    const columns = new Map<string, ColumnKind>(
      [...logged.batch.columns].map(([name, column]) => [name, column.kind]),
    );
    const mapping = checkSignature(model, manifest.artefact, { columns });
    const scores = await scoreBatch(model, mapping, logged.batch);
    const replayed = (scores.score ?? scores.value)?.[0] ?? Number.NaN;
    const skew = createValueSkew(AUDIT_TOLERANCE);
    const differs = skew.add(logged.id, logged.score, replayed);
    return {
      served: logged.score,
      replayed,
      diff: Math.abs(logged.score - replayed),
      tolerance: AUDIT_TOLERANCE,
      reproduces: !differs,
      modelSha256,
    };
  } finally {
    await model.session.release();
  }
}
