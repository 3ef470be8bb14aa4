import { createHash } from "node:crypto";
import {
  type BaselineResolution,
  type BaselineSource,
  type ColumnKind,
  type PredictionsSpec,
  type SuppliedPredictions,
  UserError,
} from "@gauntlet/core";
import { readTableSchema, resolveInside } from "@gauntlet/data";
import { type ScoringModel, verifyArtefact } from "@gauntlet/model";
import type { LoadedManifest } from "../load-manifest.js";
import { chooseBaseline } from "./choose-baseline.js";
import type { EvaluateOptions } from "./evaluate-model.js";
import { type PreparedModel, prepareModel } from "./prepare-model.js";
import type { SuppliedScorer } from "./supplied-scorer.js";
import { openSuppliedScores } from "./supplied-scores.js";

/** What scores the evaluation data: the candidate and baseline, their identities, and how to release them. */
export interface Scorers {
  candidate: PreparedModel | SuppliedScorer;
  baseline: PreparedModel | SuppliedScorer | undefined;
  /** Index of `artefact.positive` among the candidate's classes. */
  positiveIndex: number | undefined;
  candidateSha256: string;
  choice: BaselineResolution;
  baselineSha256: string | undefined;
  predictions: SuppliedPredictions | undefined;
  release(): Promise<void>;
}

/** The candidate's ONNX model (SHA-256 verified) and the baseline's, when one resolves. */
export async function onnxScorers(
  loaded: LoadedManifest,
  options: Pick<EvaluateOptions, "cwd" | "baseline" | "resolveBaseline">,
  read: { data: string; columns: Map<string, ColumnKind>; kinds: Record<string, ColumnKind> | undefined },
): Promise<Scorers> {
  const { manifest, file } = loaded;
  const { data, columns, kinds } = read;
  const evaluation = manifest.evaluation!;
  const inputs = manifest.artefact.inputs;
  // With `inputs: auto` the model's input names are its columns: learn their kinds once it is loaded.
  const columnsFor = async (model: ScoringModel): Promise<Map<string, ColumnKind>> => {
    const unknown = inputs === "auto" ? model.inputs.map((v) => v.name).filter((n) => !columns.has(n)) : [];
    if (unknown.length === 0) return columns;
    const schemaRead = { cwd: options.cwd, columns: unknown, ...(kinds ? { kinds } : {}) };
    for (const { name, kind } of await readTableSchema(data, schemaRead)) columns.set(name, kind);
    return columns;
  };
  const artefactPath = await resolveInside(options.cwd, manifest.artefact.path!, {
    file,
    field: "artefact.path",
  });
  const prepare = { manifestFile: file, artefact: manifest.artefact, columns: columnsFor };
  const candidate = await prepareModel(artefactPath, { ...prepare, verify: true });
  const models: PreparedModel[] = [candidate];
  const release = async () => {
    await Promise.all(models.map((m) => m.model.session.release()));
  };
  try {
    const choice = await chooseBaseline(options.baseline ?? evaluation.baseline, {
      cwd: options.cwd,
      model: manifest.name,
      manifestFile: file,
      resolve: options.resolveBaseline,
    });
    const baseline = choice.found
      ? await prepareModel(choice.path, {
          ...prepare,
          verify: false,
          baseline: sourceText(choice.source, manifest.name),
        })
      : undefined;
    if (baseline) models.push(baseline);
    for (const model of models) refuseWeightInput(model, evaluation.weight, file);
    return {
      candidate,
      baseline,
      positiveIndex: candidate.mapping.positiveIndex,
      candidateSha256: candidate.sha256,
      choice,
      baselineSha256: baseline?.sha256,
      predictions: undefined,
      release,
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * With `inputs: auto` the model's own input names pick its columns, which the manifest rules cannot
 * see: a model input named like the weight column would be fed the weights as a feature.
 */
function refuseWeightInput(prepared: PreparedModel, weight: string | undefined, file: string): void {
  if (weight === undefined || !prepared.mapping.inputs.some((feed) => feed.columns.includes(weight))) return;
  throw new UserError(`${prepared.label} reads the weight column "${weight}" as a model input`, {
    file,
    field: "evaluation.weight",
    fix: "a weight column only weighs rows: name the weights in a column the model does not read, or map the model's inputs in artefact.inputs",
  });
}

/** Supplied scores (`evaluation.predictions`): the artefact is verified by its digest, and no model is loaded. */
export async function suppliedScorers(
  loaded: LoadedManifest,
  read: { cwd: string; data: string; columns: Map<string, ColumnKind> },
): Promise<Scorers> {
  const { manifest, file } = loaded;
  const artefactPath = await resolveInside(read.cwd, manifest.artefact.path!, {
    file,
    field: "artefact.path",
  });
  const candidateSha256 = await verifyArtefact(artefactPath, manifest.artefact.sha256!, {
    file,
    field: "artefact.sha256",
  });
  const supplied = await openSuppliedScores(manifest, { ...read, manifestFile: file });
  const record = supplied.record;
  return {
    candidate: supplied.candidate,
    baseline: supplied.baseline,
    positiveIndex: supplied.positiveIndex,
    candidateSha256,
    choice: supplied.baseline
      ? {
          found: true,
          path: record.source,
          source: { kind: "supplied", reference: record.baseline!.join(", "), path: record.source },
        }
      : {
          found: false,
          note: "the scores were supplied and evaluation.predictions names no baseline scores",
        },
    baselineSha256: supplied.baseline ? suppliedDigest(record) : undefined,
    predictions: record,
    release: () => supplied.close(),
  };
}

/** The evaluation-data columns `evaluation.predictions` reads: its key, or its score columns. */
export function suppliedColumns(spec: PredictionsSpec): string[] {
  if (spec.file)
    return spec.key === undefined ? [] : typeof spec.key === "string" ? [spec.key] : [...spec.key];
  return [spec.candidate, spec.baseline ?? []].flat();
}

/** One digest for the files supplied scores were read from: the file's own, or of their list of digests. */
function suppliedDigest(record: SuppliedPredictions): string {
  if (record.files.length === 1) return record.files[0]!.sha256;
  const hash = createHash("sha256");
  for (const f of record.files) hash.update(`${f.sha256}  ${f.path}\n`);
  return hash.digest("hex");
}

/** How a baseline model is named in messages about it. */
function sourceText(source: BaselineSource, model: string): string {
  if (source.kind === "path") return `(${source.path})`;
  if (source.kind === "supplied") return `(supplied scores ${source.reference})`;
  return `${model} v${source.version}${source.kind === "alias" ? ` (alias ${source.reference})` : ""}`;
}
