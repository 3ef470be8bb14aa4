import {
  type BaselineResolution,
  type BaselineSource,
  type EvaluationProvenance,
  evaluate,
  evaluationProvenanceSchema,
  type Manifest,
  type Shard,
  type SuppliedPredictions,
  UserError,
} from "@gauntlet/core";
import type { LoadedManifest } from "../load-manifest.js";
import { type PartEnvelope, readShardParts, requireSame, type ShardPart } from "../shard-parts.js";
import { type EvaluateOptions, scoredProvenance, scoreEvaluationData } from "./evaluate-model.js";
import { type EvaluateOutcome, finishOutcome } from "./finish-outcome.js";
import { influenceThreads } from "./influence-threads.js";
import { manifestEvaluateInput } from "./manifest-evaluate-input.js";
import { maximaThreads } from "./maxima-threads.js";
import { encodePartRows, mergePartRows, type PartRows } from "./part-rows.js";
import { replicateThreads } from "./replicate-threads.js";
import { tallyThreads } from "./tally-threads.js";
import { requireSomeWeight } from "./weight-column.js";

/**
 * Schema tag of `evaluation.part-<i>-of-<n>.json`. Version 2 carries the shard's rows (version 1
 * carried binned cells, whose merged AUC and AP were approximate): a merge refuses version 1.
 */
export const EVALUATION_PART_SCHEMA = "gauntlet/evaluation-part@2";

/**
 * Largest part file a merge reads (bytes): a part holds about 50 bytes a row plus its slice
 * values, so a shard of up to about 4M rows fits; JSON text much larger than this cannot be parsed.
 */
export const MAX_EVALUATION_PART_BYTES = 400 * 1024 * 1024;

/** The manifest settings every shard must have evaluated with; a merge refuses parts that differ. */
export interface EvaluationSettings {
  task: Manifest["task"];
  label: string;
  key: string | string[] | null;
  metrics: string[];
  slices: unknown[];
  threshold: number;
  minSliceSize: number;
  bootstrap: number;
  seed: number;
  positive: string | number | null;
  /** `evaluation.weight`; absent when rows are unweighted (parts written before weights agree). */
  weight?: string;
}

/** `evaluation.part-<i>-of-<n>.json`: one shard's partial evaluation and its provenance. */
export interface EvaluationPart extends PartEnvelope {
  schema: typeof EVALUATION_PART_SCHEMA;
  model: { name: string; version: string; sha256: string };
  settings: EvaluationSettings;
  baseline: { found: true; source: BaselineSource; sha256: string } | { found: false; note: string };
  /** The data as given and the files read (the same in every shard); `rows`: this shard's, `read`: all. */
  data: { source: string; files: string[]; rows: number; read: number };
  timings: { readMs: number; scoreMs: number };
  /** The shard's scored rows (see `PartRows`). */
  rows: PartRows;
  /** Supplied scores' files and digests (the same in every shard), when `evaluation.predictions` is set. */
  predictions?: SuppliedPredictions;
  /** What produced the model and the numbers; the merge records the first shard's. */
  provenance?: EvaluationProvenance;
}

/**
 * The settings of the manifest's `evaluation:` (and `data.key`) that decide a partial evaluation.
 *
 * @example
 * evaluationSettings(manifest); // { task: "binary", label: "churned", key: "customer_id", metrics: ["roc_auc"], … }
 */
export function evaluationSettings(manifest: Manifest): EvaluationSettings {
  const e = manifest.evaluation!;
  return {
    task: manifest.task,
    label: e.label,
    key: manifest.data?.key === undefined ? null : (structuredClone(manifest.data.key) as string | string[]),
    metrics: [...e.metrics],
    slices: structuredClone(e.slices) as unknown[],
    threshold: e.threshold,
    minSliceSize: e["min-slice-size"],
    bootstrap: e.bootstrap,
    seed: e.seed,
    positive: manifest.artefact.positive ?? null,
    ...(e.weight === undefined ? {} : { weight: e.weight }),
  };
}

/**
 * Scores one shard — the rows whose `data.key` (else row number) hashes to it — and returns its
 * part: the shard's scored rows (labels, scores, row ids, positions and slice values; see
 * `PartRows` for the size) with the model, settings, baseline and data they came from. Every task
 * shards, since the merge evaluates the joined rows as a single run does.
 *
 * @example
 * const part = await evaluateShard(loaded, { cwd, resolveBaseline }, { index: 2, count: 4 });
 * part.rows.count; // about a quarter of the rows
 */
export async function evaluateShard(
  loaded: LoadedManifest,
  options: EvaluateOptions,
  shard: Shard,
): Promise<EvaluationPart> {
  const { manifest } = loaded;
  const scored = await scoreEvaluationData(loaded, options, shard);
  const choice = scored.choice;
  return {
    schema: EVALUATION_PART_SCHEMA,
    model: { name: manifest.name, version: manifest.version, sha256: scored.candidateSha256 },
    shard,
    settings: evaluationSettings(manifest),
    baseline:
      choice.found && scored.baselineSha256 !== undefined
        ? { found: true, source: choice.source, sha256: scored.baselineSha256 }
        : { found: false, note: choice.found ? "the baseline was not scored" : choice.note },
    data: { source: scored.data, files: scored.rows.files, rows: scored.rows.rows, read: scored.rows.read },
    timings: { readMs: round(scored.schemaMs + scored.rows.readMs), scoreMs: round(scored.rows.scoreMs) },
    ...(scored.predictions ? { predictions: scored.predictions } : {}),
    provenance: await scoredProvenance(loaded, options.cwd, scored),
    rows: encodePartRows({
      // Always set: the rows were read for a shard.
      positions: scored.rows.positions!,
      labels: scored.labels,
      scores: scored.rows.scores,
      baselineScores: scored.rows.baselineScores,
      classes: scored.rows.classes,
      rowIds: scored.rows.rowIds,
      weights: scored.weights,
      sliceColumns: scored.rows.sliceColumns,
    }),
  };
}

/**
 * Merges every `evaluation.part-*-of-<n>.json` under `<results-dir>/<model>/` into the outcome a
 * single run over all rows gives: the shards' rows are joined in the data's order and evaluated by
 * `evaluate`, so `evaluation.json` (every value and interval, ROC AUC and average precision
 * included), report and regressions are those of the single run. The parts are untrusted: each is
 * size-bounded and schema-checked, and parts of other models, versions, settings or baselines,
 * duplicate or missing shards are one {@link UserError} naming the files.
 *
 * @example
 * const { result, markdown } = await mergeEvaluation(loaded, ".gauntlet");
 * result.rows; // every shard's rows
 */
export async function mergeEvaluation(
  loaded: LoadedManifest,
  resultsDir: string,
  now: () => number = () => performance.now(),
): Promise<EvaluateOutcome> {
  const { manifest, file } = loaded;
  if (!manifest.evaluation) {
    throw new UserError("there is no evaluation: section", {
      file,
      field: "evaluation",
      fix: "add evaluation: with data, label and metrics (and slices, baseline) to the manifest",
    });
  }
  const parts = await readShardParts(
    resultsDir,
    manifest.name,
    "evaluation",
    EVALUATION_PART_SCHEMA,
    checkPart,
    MAX_EVALUATION_PART_BYTES,
  );
  requireSame(parts, "model", (p) => p.model);
  requireSame(parts, "evaluation settings", (p) => p.settings);
  requireSame(parts, "baseline", (p) => p.baseline);
  requireSame(parts, "data", (p) => ({ source: p.data.source, files: p.data.files, read: p.data.read }));
  requireSame(parts, "supplied predictions", (p) => p.predictions ?? null);
  const first = parts[0]!;
  checkManifest(manifest, file, first);
  const started = now();
  const rows = mergePartRows(parts.map((p) => ({ file: p.file, rows: p.value.rows })));
  if (!!rows.baselineScores !== first.value.baseline.found) throw corrupt(first.file, "rows.baselineScores");
  const e = manifest.evaluation;
  if (!!rows.weights !== (e.weight !== undefined)) throw corrupt(first.file, "rows.weights");
  if (rows.weights) requireSomeWeight(rows.weights, e.weight!, first.value.data.source, file);
  const clock = { now, bootstrapMs: 0 };
  const evaluated = evaluate({
    ...manifestEvaluateInput(manifest),
    ...rows,
    file,
    clock,
    runReplicates: replicateThreads(),
    runInfluence: influenceThreads(),
    runMaxima: maximaThreads(),
    runTally: tallyThreads(),
  });
  const metricsMs = now() - started;
  const baseline: BaselineResolution = first.value.baseline.found
    ? { found: true, path: "", source: first.value.baseline.source }
    : { found: false, note: first.value.baseline.note };
  const sum = (pick: (p: ShardPart<EvaluationPart>) => number) => parts.reduce((s, p) => s + pick(p), 0);
  return finishOutcome(manifest, evaluated, {
    data: { source: first.value.data.source, files: first.value.data.files },
    candidateSha256: first.value.model.sha256,
    baseline,
    baselineSha256: first.value.baseline.found ? first.value.baseline.sha256 : undefined,
    predictions: first.value.predictions,
    provenance: first.value.provenance,
    timings: {
      readMs: sum((p) => p.value.timings.readMs),
      scoreMs: sum((p) => p.value.timings.scoreMs),
      metricsMs,
      bootstrapMs: clock.bootstrapMs,
      renderMs: 0,
    },
    now,
  });
}

/** The manifest the merge runs with must be the one the shards evaluated. */
function checkManifest(manifest: Manifest, file: string, part: ShardPart<EvaluationPart>): void {
  const { model, settings } = part.value;
  const differs =
    model.version !== manifest.version
      ? `version ${model.version}, the manifest ${manifest.version}`
      : manifest.artefact.sha256 && manifest.artefact.sha256.toLowerCase() !== model.sha256.toLowerCase()
        ? `artefact sha256 ${model.sha256}, the manifest ${manifest.artefact.sha256}`
        : JSON.stringify(settings) !== JSON.stringify(evaluationSettings(manifest))
          ? "other evaluation settings than the manifest's"
          : undefined;
  if (differs === undefined) return;
  throw new UserError(`the shards evaluated ${differs} (${part.file})`, {
    file,
    field: "evaluation",
    fix: "merge with the manifest the shards ran with: run the shards and the merge on the same commit",
  });
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isText = (v: unknown): v is string => typeof v === "string";
const isMs = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

/** Checks an untrusted part's shape; its rows are checked as they are decoded (`mergePartRows`). */
function checkPart(value: object, file: string): EvaluationPart {
  const p = value as Partial<EvaluationPart>;
  const problems: [string, boolean][] = [
    ["model", isText(p.model?.name) && isText(p.model?.version) && isText(p.model?.sha256)],
    ["shard", isCount(p.shard?.index) && isCount(p.shard?.count)],
    ["settings", typeof p.settings === "object" && p.settings !== null],
    [
      "baseline",
      p.baseline?.found === true
        ? isText(p.baseline.sha256) && typeof p.baseline.source === "object" && p.baseline.source !== null
        : p.baseline?.found === false && isText(p.baseline.note),
    ],
    [
      "data",
      isText(p.data?.source) &&
        Array.isArray(p.data.files) &&
        p.data.files.every(isText) &&
        isCount(p.data.rows) &&
        isCount(p.data.read),
    ],
    ["timings", isMs(p.timings?.readMs) && isMs(p.timings?.scoreMs)],
    ["rows", typeof p.rows === "object" && p.rows !== null && p.data?.rows === p.rows.count],
    ["predictions", p.predictions === undefined || isSuppliedRecord(p.predictions)],
    ["provenance", p.provenance === undefined || evaluationProvenanceSchema.safeParse(p.provenance).success],
  ];
  const bad = problems.find(([, ok]) => !ok);
  if (bad) throw corrupt(file, bad[0]);
  return p as EvaluationPart;
}

function isSuppliedRecord(p: SuppliedPredictions): boolean {
  const names = (v: unknown) => Array.isArray(v) && v.every(isText);
  return (
    isText(p.source) &&
    Array.isArray(p.files) &&
    p.files.every((f) => isText(f?.path) && isText(f?.sha256)) &&
    (p.key === null || names(p.key)) &&
    names(p.candidate) &&
    (p.baseline === null || names(p.baseline))
  );
}

function corrupt(file: string, field: string): UserError {
  return new UserError(`not a valid partial evaluation (${field})`, {
    file,
    field,
    fix: "merge only the evaluation.part-*.json files that evaluate-slices wrote with shard; rerun the shard that wrote this one",
  });
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
