import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import {
  type Batch,
  type CalibrationBin,
  type Column,
  type ColumnKind,
  calibrationCurve,
  createProfileBuilder,
  kindsFromContract,
  labelledScoreCounts,
  type Manifest,
  type Profile,
  type ProfileBuilder,
  UserError,
} from "@gauntlet/core";
import { readTable } from "@gauntlet/data";
import {
  checkSignature,
  emptyHealth,
  healthError,
  loadModel,
  mergeHealth,
  type Scores,
  type SignatureMapping,
  scoreBatches,
} from "@gauntlet/model";
import { checkEvaluationData } from "../evaluate/check-data.js";
import { openSuppliedScores } from "../evaluate/supplied-scores.js";
import { positiveOutcomes } from "./positive-outcomes.js";
import { predictionColumn } from "./prediction-column.js";
import { createReferenceSample } from "./reference-sample.js";

/** Where {@link buildReferenceProfile} reads, scores and writes. */
export interface ReferenceProfileOptions {
  cwd: string;
  /** Where to write `profile.json`. */
  path: string;
  /**
   * The model to score the rows with (promote: the artefact it has just verified) and the manifest
   * file messages name. Without it the profile describes the data alone, as a profile of a data
   * file given as a reference does.
   */
  model?: { path: string; manifestFile: string };
  /** Equal-width bins of the calibration curve (default 10). */
  calibrationBins?: number;
  /**
   * Where to write the reference sample (`reference-sample.parquet`, see
   * `createReferenceSample`) and how many rows it keeps at most; none is written without it.
   */
  sample?: { path: string; maxRows: number };
}

/**
 * Streams the manifest's evaluation data into the reference profile `drift-check` compares
 * prediction logs against, and writes it to `options.path` as `profile.json`: per column a
 * histogram and quantile sketch (numbers) or value counts (categories). With `options.model` the
 * rows are also scored, and the profile gains:
 * - the model's predictions as the column named by `monitoring.score` (the logged field
 *   `drift-check` compares with it, so its score drift is measured against the reference rather
 *   than against the first logged window), recorded in `prediction`: the positive-class score
 *   (binary), the predicted class (multiclass), the predicted value (regression). A manifest
 *   without `monitoring.score` gets no such column: under any other name `drift-check` would take
 *   it for a feature. A data column of that name is replaced (the reference score is this
 *   version's), unless it is the label or a model input, which is a {@link UserError};
 * - for a binary classifier with a probabilities output, `calibration`: the reliability curve of
 *   the scores against `evaluation.label` (`calibrationCurve`, equal-width bins), rows without a
 *   known label left out, and the same labelled scores counted on the drift tally's fine score
 *   grid (`labelledScores`), which drift-check recalibrates its performance estimate on.
 *
 * With `options.sample`, the same rows (score included) also go to the release's reference sample
 * (`createReferenceSample`), written as Parquet next to the profile.
 *
 * Returns `undefined` without `evaluation.data`. Before the model is loaded the data are checked
 * as evaluation checks them (rows, the label and slice columns); those problems, a model the
 * data cannot feed and unusable scores (NaN, probabilities outside [0, 1]) are the
 * {@link UserError}s evaluation gives for them.
 *
 * @example
 * await buildReferenceProfile(manifest, { cwd, path: ".gauntlet/churn/profile.json",
 *   model: { path: "/repo/models/churn/model.onnx", manifestFile: "models/churn/model.yml" } });
 * // { schema: "gauntlet/profile@1", model: { name: "churn", version: "1.3.0" }, rows: 5000,
 * //   columns: { tenure_months: {…}, …, score: { kind: "number", … } },
 * //   prediction: { column: "score", kind: "score" },
 * //   calibration: { label: "churned", positive: "1", rows: 5000, bins: [{ lower: 0, upper: 0.1, count: 1822, meanScore: 0.05, positiveRate: 0.04 }, …] } }
 */
export async function buildReferenceProfile(
  manifest: Manifest,
  options: ReferenceProfileOptions,
): Promise<Profile | undefined> {
  const data = manifest.evaluation?.data;
  if (!data) return undefined;
  const builder = createProfileBuilder({ model: { name: manifest.name, version: manifest.version } });
  const contract = manifest.data ? kindsFromContract(manifest.data) : undefined;
  const read = { cwd: options.cwd, ...(contract ? { kinds: contract } : {}) };
  const sample = options.sample ? createReferenceSample(manifest, options.sample.maxRows) : undefined;
  const sink: ProfileBuilder = {
    add(batch) {
      builder.add(batch);
      sample?.add(batch);
    },
    finish: () => builder.finish(),
    values: () => builder.values(),
  };
  let profile: Profile;
  if (options.model) {
    profile = await profileScored(manifest, data, read, sink, {
      ...options.model,
      bins: options.calibrationBins ?? 10,
    });
  } else {
    for await (const batch of readTable(data, read)) sink.add(batch);
    profile = sink.finish();
  }
  await mkdir(dirname(options.path), { recursive: true });
  await writeFile(options.path, `${JSON.stringify(profile)}\n`);
  if (sample && options.sample) await sample.write(options.sample.path);
  return profile;
}

async function profileScored(
  manifest: Manifest,
  data: string,
  read: { cwd: string; kinds?: Record<string, ColumnKind> },
  builder: ProfileBuilder,
  options: { path: string; manifestFile: string; bins: number },
): Promise<Profile> {
  const file = options.manifestFile;
  // The checks evaluate makes before loading a model: rows, the label and slice columns.
  const columns = await checkEvaluationData({
    data,
    cwd: read.cwd,
    kinds: read.kinds,
    evaluation: manifest.evaluation!,
    manifestFile: file,
  });
  if (manifest.evaluation?.predictions) {
    // Supplied scores: the artefact (verified by promote) is never run; the scores are read instead.
    const supplied = await openSuppliedScores(manifest, { cwd: read.cwd, manifestFile: file, data, columns });
    try {
      const mapping: SignatureMapping = {
        inputs: [],
        outputs: {},
        ...(manifest.artefact.classes ? { classes: manifest.artefact.classes } : {}),
        ...(supplied.positiveIndex !== undefined ? { positiveIndex: supplied.positiveIndex } : {}),
      };
      const scored = async function* () {
        for await (const batch of readTable(data, read)) {
          yield {
            batch,
            scores: suppliedAsScores(
              manifest.task,
              await supplied.candidate.score(batch),
              batch.length,
              supplied.candidate.classes,
            ),
          };
        }
      };
      return await profileBatches(
        manifest,
        columns,
        builder,
        scored(),
        mapping,
        () => supplied.candidate.finish(),
        options,
      );
    } finally {
      await supplied.close();
    }
  }
  const model = await loadModel(options.path, { manifestFile: file });
  try {
    const mapping = checkSignature(model, manifest.artefact, { columns });
    const health = healthOf(mapping);
    const scored = async function* () {
      for await (const item of scoreBatches(model, mapping, readTable(data, read))) {
        mergeHealth(health, item.scores.health);
        yield item;
      }
    };
    return await profileBatches(
      manifest,
      columns,
      builder,
      scored(),
      mapping,
      () => healthError(health, file),
      options,
    );
  } finally {
    await model.session.release();
  }
}

/** Supplied scores of one batch in the layout a model's `Scores` has (see `SuppliedScorer.score`). */
function suppliedAsScores(
  task: Manifest["task"],
  values: Float64Array,
  rows: number,
  classes: number | undefined,
): Scores {
  const health = emptyHealth("", "label");
  if (task === "regression") return { rows, value: values, health };
  if (task === "multiclass") return { rows, probabilities: values, classCount: classes ?? 0, health };
  return { rows, score: values, health };
}

/**
 * The profile of scored batches: the prediction column (under `monitoring.score`) and, for a
 * binary classifier with scores, the calibration against the label; `problem` is the scores'
 * error (unusable values), checked once every batch is read.
 */
async function profileBatches(
  manifest: Manifest,
  columns: ReadonlyMap<string, ColumnKind>,
  builder: ProfileBuilder,
  scored: AsyncIterable<{ batch: Batch; scores: Scores }>,
  mapping: SignatureMapping,
  problem: () => UserError | undefined,
  options: { manifestFile: string; bins: number },
): Promise<Profile> {
  const file = options.manifestFile;
  const name = scoreColumnName(manifest, mapping, columns, file);
  const label = manifest.evaluation?.label;
  // Scores exist exactly when there are probabilities and the positive class is known.
  const hasScores =
    manifest.evaluation?.predictions !== undefined || mapping.outputs.probabilities !== undefined;
  const positiveIndex = hasScores ? mapping.positiveIndex : undefined;
  const calibrate = manifest.task === "binary" && label !== undefined && positiveIndex !== undefined;
  const classes = mapping.classes?.map(String);
  const positive = positiveIndex === undefined ? "" : classes![positiveIndex]!;
  const scoreChunks: Float64Array[] = [];
  const outcomeChunks: Float64Array[] = [];
  // Multiclass: each class's probability against "the label is this class", for the estimate.
  const byClass =
    manifest.task === "multiclass" && label !== undefined && hasScores && classes !== undefined
      ? classes.map(() => ({ scores: [] as Float64Array[], outcomes: [] as Float64Array[] }))
      : undefined;
  let kind: "score" | "class" | "value" | undefined;
  for await (const { batch, scores } of scored) {
    const prediction = predictionColumn(manifest.task, scores, mapping, file);
    kind = prediction.kind;
    builder.add(name === undefined ? batch : withColumn(batch, name, prediction.column));
    const labels = calibrate ? batch.columns.get(label) : undefined;
    if (labels && scores.score) {
      scoreChunks.push(scores.score);
      outcomeChunks.push(positiveOutcomes(labels, positive, classes));
    }
    const classLabels = byClass ? batch.columns.get(label!) : undefined;
    if (byClass && classLabels && scores.probabilities && scores.classCount === byClass.length) {
      const { probabilities, classCount } = scores;
      byClass.forEach((chunks, k) => {
        chunks.scores.push(
          Float64Array.from({ length: scores.rows }, (_, i) => probabilities[i * classCount + k]!),
        );
        chunks.outcomes.push(positiveOutcomes(classLabels, classes![k]!, classes));
      });
    }
  }
  const error = problem();
  if (error) throw error;
  const profile = builder.finish();
  if (name !== undefined && kind !== undefined) profile.prediction = { column: name, kind };
  if (calibrate && label !== undefined) {
    const scores = clamped(concat(scoreChunks));
    const outcomes = concat(outcomeChunks);
    const bins = calibrationCurve(scores, outcomes, options.bins);
    const labelledScores = labelledScoreCounts(scores, outcomes);
    profile.calibration = { label, positive, rows: total(bins), bins, labelledScores };
  }
  if (byClass && label !== undefined && byClass[0]!.scores.length > 0) {
    const labelledScores = byClass.map((c) => labelledScoreCounts(concat(c.scores), concat(c.outcomes)));
    let rows = 0;
    for (let at = 0; at < labelledScores[0]!.counts.length; at += 3)
      rows += labelledScores[0]!.counts[at + 1]! + labelledScores[0]!.counts[at + 2]!;
    profile.classCalibration = { label, classes: classes!, rows, labelledScores };
  }
  return profile;
}

/**
 * `monitoring.score`, checked not to be a column the reference must keep as it is: the label
 * (calibrated against) or a model input (compared as a feature under the same name).
 */
function scoreColumnName(
  manifest: Manifest,
  mapping: SignatureMapping,
  columns: ReadonlyMap<string, ColumnKind>,
  file: string,
): string | undefined {
  const name = manifest.monitoring?.score;
  if (name === undefined || !columns.has(name)) return name;
  const isInput = mapping.inputs.some((feed) => feed.columns.includes(name));
  if (name !== manifest.evaluation?.label && !isInput) return name;
  throw new UserError(
    `the reference profile holds the model's score as column "${name}", which is also ${isInput ? "a model input" : "the label"} in ${manifest.evaluation?.data}`,
    {
      file,
      field: "monitoring.score",
      fix: "log the served score under a field name the evaluation data does not use, and set monitoring.score to it",
    },
  );
}

function healthOf(mapping: SignatureMapping) {
  const { probabilities, value } = mapping.outputs;
  if (probabilities) return emptyHealth(probabilities.output, "probabilities");
  return value ? emptyHealth(value.output, "value") : emptyHealth("", "label");
}

function withColumn(batch: Batch, name: string, column: Column): Batch {
  const columns = new Map(batch.columns);
  columns.set(name, column);
  return { ...batch, columns };
}

/** float32 sigmoids may overshoot [0, 1] by a rounding error the health check tolerates; the curve does not. */
function clamped(scores: Float64Array): Float64Array {
  for (let i = 0; i < scores.length; i++) scores[i] = Math.min(1, Math.max(0, scores[i]!));
  return scores;
}

function concat(chunks: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function total(bins: readonly CalibrationBin[]): number {
  return bins.reduce((n, b) => n + b.count, 0);
}
