import { type Manifest, UserError } from "@gauntlet/core";
import { type ColumnKinds, type InputFeed, planInputs } from "./input-plan.js";
import type { ScoringModel } from "./load-model.js";
import { type OutputPlan, planOutputs } from "./output-plan.js";

/** The checked agreement between a manifest's `artefact:` section and a model: what scoring needs. */
export interface SignatureMapping {
  /** One feed per model input, in the model's input order. */
  inputs: readonly InputFeed[];
  outputs: OutputPlan;
  /** `artefact.classes`, in output order (classifiers). */
  classes?: readonly (string | number)[];
  /** Column of `positive` in `[N, C]` probabilities (binary models). */
  positiveIndex?: number;
  /** Rows per run when the model was exported with a fixed batch size of 1; otherwise absent. */
  maxBatchRows?: number;
}

/** Options of {@link checkSignature}. */
export interface CheckSignatureOptions {
  /** The manifest file, for messages. Default: the model's `manifestFile`. */
  manifestFile?: string;
  /** Column kinds of the data about to be scored; when given, missing columns and kinds that cannot feed their input fail here. */
  columns?: ColumnKinds;
}

/**
 * Checks the manifest's `artefact.inputs` and `artefact.outputs` against the inputs and outputs the
 * model declares, before any row is scored, and returns the mapping scoring uses. The first
 * mismatch is thrown as one {@link UserError} naming the field and the fix: an unknown input or
 * output name (with the model's own names listed), a model input no column feeds, a column count
 * that contradicts a fixed tensor width, an element type gauntlet cannot feed, a ZipMap output.
 *
 * @example
 * const mapping = checkSignature(model, manifest.artefact, {
 *   columns: new Map([["tenure_months", "number"], ["region", "category"]]),
 * });
 * // mapping.inputs[0] => { input: "numeric", columns: [...], elementType: "float32", layout: "matrix", … }
 * // mapping.positiveIndex => 1
 */
export function checkSignature(
  model: ScoringModel,
  artefact: Manifest["artefact"],
  options: CheckSignatureOptions = {},
): SignatureMapping {
  const scoped = options.manifestFile ? { ...model, manifestFile: options.manifestFile } : model;
  const inputs = planInputs(scoped, artefact.inputs, options.columns);
  const outputs = planOutputs(scoped, artefact);
  if (!outputs.probabilities && !outputs.label && !outputs.value) {
    throw new UserError("no output is named, so there is nothing to score", {
      file: scoped.manifestFile,
      field: "artefact.outputs",
      fix: `name the model's outputs, e.g. probabilities: or value: (the model has ${model.outputs.map((o) => o.name).join(", ")})`,
    });
  }
  const mapping: SignatureMapping = { inputs, outputs };
  if (artefact.classes) mapping.classes = artefact.classes;
  if (artefact.positive !== undefined && artefact.classes) {
    const index = artefact.classes.indexOf(artefact.positive);
    if (index < 0) {
      throw new UserError(`positive class ${JSON.stringify(artefact.positive)} is not one of the classes`, {
        file: scoped.manifestFile,
        field: "artefact.positive",
        fix: `set positive to one of ${JSON.stringify(artefact.classes)}`,
      });
    }
    mapping.positiveIndex = index;
  }
  if (model.inputs.some((v) => v.isTensor && v.shape[0] === 1)) mapping.maxBatchRows = 1;
  return mapping;
}
