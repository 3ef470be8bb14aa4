import {
  BINARY_METRICS,
  compareOutcomes,
  inputRef,
  type Manifest,
  type MetricName,
  MULTICLASS_METRICS,
  operatingSpecOf,
  REGRESSION_METRICS,
  renderShadowSection,
  SHADOW_SCHEMA,
  type ShadowResult,
  shadowChecks,
  shadowLimits,
  shadowVerdict,
  type Task,
  UserError,
} from "@gauntlet/core";
import { readTableSchema, resolveInside } from "@gauntlet/data";
import {
  emptyHealth,
  healthError,
  mergeHealth,
  type Scores,
  scoreBatch,
  verifyArtefact,
} from "@gauntlet/model";
import type { LoadedManifest } from "../load-manifest.js";
import { benchmarkBatches, createBenchmarkSample } from "./benchmark-models.js";
import { loadOfflineFeatures } from "./offline-features.js";
import { emptyLogCounts, readShadowLog } from "./read-shadow-log.js";
import { loadShadowModels, recheckKinds } from "./shadow-models.js";
import { logSummary, noData, shadowNotes } from "./shadow-notes.js";
import { resolveShadowFields, type ShadowOptions } from "./shadow-options.js";
import { planShadowColumns } from "./shadow-plan.js";
import { createShadowTally } from "./shadow-tally.js";

/** One model's shadow comparison: the result file's content and its report section. */
export interface ShadowOutcome {
  manifest: Manifest;
  result: ShadowResult;
  markdown: string;
}

/** Outcomes needed before they can decide anything, unless `min-slice-size` asks for more. */
const MIN_OUTCOMES = 200;

/**
 * Compares the candidate with the served champion on logged traffic: streams the log once, keeps
 * comparable rows (new request id, the champion's version, a champion score), scores the logged
 * features with the candidate when its scores were not logged, replays the champion artefact (when
 * given) to measure training-serving skew, joins `offline-features` by request id, benchmarks both
 * artefacts, compares outcome-based metrics with a paired bootstrap, and decides `promote to
 * canary` or `hold`. This is `gauntlet shadow` and the `shadow-compare` action, minus publishing.
 *
 * @example
 * const { result } = await compareShadow(await loadManifest("models/churn/model.yml", cwd), { cwd, championModel: "models/production.onnx" });
 * result.recommendation; // "promote to canary"
 */
export async function compareShadow(loaded: LoadedManifest, options: ShadowOptions): Promise<ShadowOutcome> {
  const { manifest, file } = loaded;
  const shadow = manifest.shadow;
  if (!shadow) {
    throw new UserError("there is no shadow: section", {
      file,
      field: "shadow",
      fix: "add shadow: with log, id, champion (and features, challenger, limits) to the manifest",
    });
  }
  const task = manifest.task;
  const classes = task === "multiclass" ? shadowClasses(manifest, file) : undefined;
  const log = options.log ?? shadow.log;
  const contractKinds = manifest.data
    ? Object.fromEntries(
        Object.entries(manifest.data.columns).map(([k, c]) => [
          shadow.features ? `${shadow.features}.${k}` : k,
          c.type,
        ]),
      )
    : {};
  const schema = new Map(
    (
      await readTableSchema(log, {
        cwd: options.cwd,
        kinds: contractKinds,
        origin: { file, field: options.log === undefined ? "shadow.log" : inputRef("log") },
      })
    ).map((c) => [c.name, c.kind]),
  );
  if (schema.size === 0) throw noData(log, emptyLogCounts(), 0, file);
  // Supplied scores (evaluation.predictions): no model to run, so the challenger's scores must be logged.
  const supplied = manifest.evaluation?.predictions !== undefined;
  const { candidate, champion, sha256 } = supplied
    ? await suppliedShadowModels(manifest, file, options)
    : await loadShadowModels(manifest, {
        cwd: options.cwd,
        manifestFile: file,
        championPath: options.championModel,
      }).then((m) => ({ ...m, sha256: m.candidate.sha256 }));
  const models = [...(candidate ? [candidate] : []), ...(champion ? [champion] : [])];
  try {
    const fields = resolveShadowFields(manifest, schema, options);
    if (supplied && !fields.challenger) {
      throw new UserError(
        "the candidate's scores are supplied, not computed here, and the log names no challenger score",
        {
          file,
          field: "shadow.challenger",
          fix: "log the candidate's score beside the champion's and name that field in shadow.challenger (gauntlet cannot run the artefact on the logged features)",
        },
      );
    }
    const specs = shadow.slices ?? manifest.evaluation?.slices ?? [];
    const modelColumns = [...new Set(models.flatMap((m) => m.mapping.inputs.flatMap((f) => f.columns)))];
    const plan = planShadowColumns({
      manifest,
      manifestFile: file,
      log,
      schema,
      fields,
      modelColumns,
      specs,
    });
    for (const m of models) recheckKinds(m, manifest.artefact, plan.kinds);
    const offline = shadow["offline-features"]
      ? await loadOfflineFeatures(shadow["offline-features"], {
          cwd: options.cwd,
          id: fields.id,
          columns: modelColumns,
          kinds: plan.kinds,
          manifestFile: file,
        })
      : undefined;
    const threshold = shadow.threshold ?? manifest.evaluation?.threshold ?? 0.5;
    const minSliceSize = manifest.evaluation?.["min-slice-size"] ?? 30;
    const tally = createShadowTally({
      task,
      classes,
      tolerance: shadow.tolerance ?? 0,
      threshold,
      specs,
      minSliceSize,
      showRows: options.showRows ?? false,
      featureColumns: modelColumns,
      offline,
    });
    const counts = emptyLogCounts();
    const health = emptyHealth("probabilities", "probabilities");
    const sample = createBenchmarkSample(modelColumns);
    const positive = String(manifest.artefact.positive ?? 1);
    for await (const part of readShadowLog(
      plan,
      {
        log,
        cwd: options.cwd,
        version: options.championVersion,
        positive,
        task,
        classes,
        kinds: contractKinds,
        manifestFile: file,
      },
      counts,
    )) {
      let challenger = part.challenger;
      if (!fields.challenger && candidate) {
        const scores = await scoreBatch(candidate.model, candidate.mapping, part.batch);
        mergeHealth(health, scores.health);
        challenger = predictionsOf(scores, task, classes);
      }
      const replay = champion
        ? predictionsOf(await scoreBatch(champion.model, champion.mapping, part.batch), task, classes)
        : null;
      tally.add(part, challenger!, replay);
      sample.add(part.batch);
    }
    const problem = healthError(health, file);
    if (problem) throw problem;
    const measured = tally.finish();
    if (measured.agreement.n === 0) throw noData(log, counts, measured.missingChallengerScore, file);
    const sampled = sample.finish();
    const batches =
      sampled && candidate
        ? await benchmarkBatches({ champion, challenger: candidate }, sampled, {
            repeats: options.benchmarkRepeats ?? 200,
          })
        : [];
    const oneRow = batches.find((b) => b.rows === 1);
    const metrics = outcomeMetrics(manifest);
    const outcomes = fields.outcome
      ? compareOutcomes(measured.outcomes, {
          task,
          ...(classes ? { classes: classes.length } : {}),
          metrics,
          threshold,
          operating: operatingSpecOf(manifest.evaluation ?? {}),
          replicates: Math.min(manifest.evaluation?.bootstrap ?? 500, 1000),
          seed: manifest.evaluation?.seed ?? 0,
          minimum: Math.max(MIN_OUTCOMES, minSliceSize),
        })
      : null;
    if (outcomes && fields.weight) outcomes.weight = fields.weight;
    const measurements = {
      log: logSummary(log, counts, measured.agreement.n, measured.missingChallengerScore),
      ...(task === "binary" ? {} : { task }),
      agreement: measured.agreement,
      ...("multiclass" in measured ? { multiclass: measured.multiclass } : {}),
      ...("regression" in measured ? { regression: measured.regression } : {}),
      distribution: measured.distribution,
      slices: measured.slices,
      latency: {
        logged: measured.latency,
        benchmark: { champion: oneRow?.champion ?? null, challenger: oneRow?.challenger ?? null },
        benchmarkBatches: batches,
      },
      outcomes,
      skew: { replay: measured.replay, features: measured.features },
    };
    const checks = shadowChecks(measurements, shadowLimits(shadow));
    const verdict = shadowVerdict(checks);
    const result: ShadowResult = {
      schema: SHADOW_SCHEMA,
      model: { name: manifest.name, version: manifest.version, sha256 },
      champion: {
        path: options.championModel ?? null,
        sha256: champion?.sha256 ?? null,
        version: options.championVersion ?? null,
      },
      challengerScores: fields.challenger ? "logged" : "scored",
      ...(measurements.task ? { task: measurements.task } : {}),
      threshold: task === "binary" ? threshold : null,
      ...verdict,
      checks,
      ...measurements,
      largestDisagreements: measured.largestDisagreements,
      notes: shadowNotes(counts, fields.version, options.championVersion, champion !== undefined),
    };
    return { manifest, result, markdown: renderShadowSection(result) };
  } finally {
    await Promise.all(models.map((m) => m.model.session.release()));
  }
}

/** `artefact.classes` as the text logs carry; a multiclass comparison needs them to read the log. */
function shadowClasses(manifest: Manifest, file: string): string[] {
  const classes = manifest.artefact.classes;
  if (!classes) {
    throw new UserError("a multiclass shadow comparison needs the class names the log's predictions use", {
      file,
      field: "artefact.classes",
      fix: "list the classes in the model's output order under artefact.classes (the log holds one of them per prediction)",
    });
  }
  return classes.map(String);
}

/**
 * The predictions a model's scores stand for in the comparison: the positive-class probability
 * (binary), the most probable class's index (multiclass; the first on ties, or the label output
 * when the model has no probabilities), the value (regression).
 */
function predictionsOf(scores: Scores, task: Task, classes: readonly string[] | undefined): Float64Array {
  if (task === "binary") return scores.score!;
  if (task === "regression") return scores.value!;
  const out = new Float64Array(scores.rows).fill(Number.NaN);
  if (scores.probabilities && scores.classCount) {
    const k = scores.classCount;
    for (let i = 0; i < scores.rows; i++) {
      let best = 0;
      for (let j = 1; j < k; j++)
        if (scores.probabilities[i * k + j]! > scores.probabilities[i * k + best]!) best = j;
      out[i] = Number.isNaN(scores.probabilities[i * k]!) ? Number.NaN : best;
    }
  } else if (scores.label) {
    const index = new Map((classes ?? []).map((c, i) => [c, i]));
    for (let i = 0; i < scores.rows; i++) out[i] = index.get(String(scores.label[i])) ?? Number.NaN;
  }
  return out;
}

/** The manifest's metrics that suit the task and the compared predictions, or the task's defaults. */
function outcomeMetrics(manifest: Manifest): MetricName[] {
  const suited: readonly string[] =
    manifest.task === "binary"
      ? BINARY_METRICS
      : manifest.task === "multiclass"
        ? // One-hot predicted classes have no log loss worth reporting (it is infinite on any miss).
          MULTICLASS_METRICS.filter((m) => m !== "log_loss")
        : REGRESSION_METRICS;
  const defaults: MetricName[] =
    manifest.task === "binary"
      ? ["roc_auc"]
      : manifest.task === "multiclass"
        ? ["accuracy"]
        : ["mae", "rmse"];
  const chosen = (
    manifest.evaluation?.metrics ?? (manifest.task === "binary" ? ["roc_auc", "accuracy"] : defaults)
  ).filter((m): m is MetricName => suited.includes(m));
  return chosen.length > 0 ? chosen : defaults;
}

/**
 * The artefact of a model whose scores are supplied, verified by its SHA-256 and never loaded; a
 * champion model to replay is refused, since replaying it needs the artefact mapping such a
 * manifest does not have.
 */
async function suppliedShadowModels(
  manifest: Manifest,
  file: string,
  options: ShadowOptions,
): Promise<{ candidate: undefined; champion: undefined; sha256: string }> {
  if (options.championModel !== undefined) {
    throw new UserError(
      `the champion model ${options.championModel} cannot be replayed for a model whose scores are supplied`,
      {
        file,
        field: inputRef("champion-model"),
        fix: "drop the champion-model input: with evaluation.predictions no model is run, so training-serving skew is not replayed",
      },
    );
  }
  if (!manifest.artefact.path) {
    throw new UserError("the artefact has no path to verify", {
      file,
      field: "artefact.path",
      fix: "set artefact.path, or download the artefact named by artefact.uri to that path in an earlier step",
    });
  }
  const path = await resolveInside(options.cwd, manifest.artefact.path, { file, field: "artefact.path" });
  const sha256 = await verifyArtefact(path, manifest.artefact.sha256!, { file, field: "artefact.sha256" });
  return { candidate: undefined, champion: undefined, sha256 };
}
