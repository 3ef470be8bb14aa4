import { formatFieldPath, type Manifest, UserError } from "@gauntlet/core";
import type { ScoringModel } from "./load-model.js";
import { describeValue, listValues, type ModelValue } from "./model-value.js";

/** Which model outputs are read, and how. */
export interface OutputPlan {
  /**
   * Class probabilities. `matrix`: `[N, C]`; `score`: `[N]` or `[N, 1]`, already the
   * positive-class score of a binary model.
   */
  probabilities?: { output: string; layout: "matrix" | "score" };
  /** Predicted labels, `[N]` or `[N, 1]`. */
  label?: { output: string };
  /** Regression predictions, `[N]` or `[N, 1]`. */
  value?: { output: string };
}

type Role = keyof Manifest["artefact"]["outputs"];
const NUMERIC = new Set(["float32", "float64"]);
const LABEL = new Set(["int64", "int32", "string", "float32", "float64"]);

/**
 * Resolves `artefact.outputs` against the model's declared outputs. Unknown names, ZipMap
 * (non-tensor) outputs, non-float probabilities or values, and a class count that contradicts
 * `artefact.classes` are each one {@link UserError} in the manifest.
 *
 * @example
 * planOutputs(model, { outputs: { probabilities: "probabilities" }, classes: [0, 1], positive: 1, inputs: "auto" });
 * // { probabilities: { output: "probabilities", layout: "matrix" } }
 */
export function planOutputs(model: ScoringModel, artefact: Manifest["artefact"]): OutputPlan {
  const plan: OutputPlan = {};
  const { probabilities, label, value } = artefact.outputs;
  if (probabilities !== undefined) {
    const out = tensorOutput(model, "probabilities", probabilities, NUMERIC);
    plan.probabilities = { output: out.name, layout: probabilityLayout(model, out, artefact) };
  }
  if (label !== undefined) {
    plan.label = { output: vectorOutput(model, "label", tensorOutput(model, "label", label, LABEL)) };
  }
  if (value !== undefined) {
    plan.value = { output: vectorOutput(model, "value", tensorOutput(model, "value", value, NUMERIC)) };
  }
  return plan;
}

function tensorOutput(
  model: ScoringModel,
  role: Role,
  name: string,
  types: ReadonlySet<string>,
): Extract<ModelValue, { isTensor: true }> {
  const where = { file: model.manifestFile, field: formatFieldPath(["artefact", "outputs", role]) };
  const out = model.outputs.find((v) => v.name === name);
  if (out === undefined) {
    throw new UserError(
      `the model has no output named "${name}"; its outputs are ${listValues(model.outputs)}`,
      {
        ...where,
        fix: `set ${role}: to one of the model's output names`,
      },
    );
  }
  if (!out.isTensor) {
    throw new UserError(
      `the model output "${name}" is a sequence of maps (a ZipMap), not a tensor, and onnxruntime-node cannot return it`,
      {
        ...where,
        fix:
          're-export the model without ZipMap: skl2onnx `convert_sklearn(model, options={id(model): {"zipmap": False}})`, ' +
          "onnxmltools for XGBoost/LightGBM `convert_xgboost(…, zipmap=False)` / `convert_lightgbm(…, zipmap=False)`",
      },
    );
  }
  if (!types.has(out.elementType)) {
    throw new UserError(`the model output ${describeValue(out)} is not a ${[...types].join(" or ")} tensor`, {
      ...where,
      fix: `name the output that holds the ${role === "label" ? "predicted labels" : `predicted ${role}`}`,
    });
  }
  return out;
}

function vectorOutput(model: ScoringModel, role: Role, out: Extract<ModelValue, { isTensor: true }>): string {
  const [, width, ...rest] = out.shape;
  if (rest.length > 0 || (typeof width === "number" && width !== 1)) {
    throw new UserError(`the model output ${describeValue(out)} holds more than one ${role} per row`, {
      file: model.manifestFile,
      field: formatFieldPath(["artefact", "outputs", role]),
      fix: `name an output of shape [N] or [N, 1]`,
    });
  }
  return out.name;
}

function probabilityLayout(
  model: ScoringModel,
  out: Extract<ModelValue, { isTensor: true }>,
  artefact: Manifest["artefact"],
): "matrix" | "score" {
  const where = { file: model.manifestFile, field: "artefact.outputs.probabilities" };
  const binary = artefact.positive !== undefined;
  const [, width, ...rest] = out.shape;
  if (rest.length > 0) {
    throw new UserError(`the model output ${describeValue(out)} is not [N, C] class probabilities`, {
      ...where,
      fix: "name the output holding one probability per class",
    });
  }
  if (out.shape.length === 1 || width === 1) {
    if (binary) return "score";
    throw new UserError(`the model output ${describeValue(out)} holds one score per row, not one per class`, {
      ...where,
      fix: "name the [N, C] probabilities output, or set task: binary with positive: if this is a binary model",
    });
  }
  const classes = artefact.classes;
  if (typeof width === "number" && classes !== undefined && width !== classes.length) {
    throw new UserError(
      `the model output ${describeValue(out)} has ${width} classes but artefact.classes lists ${classes.length}`,
      { ...where, fix: "list every class the model outputs, in output order" },
    );
  }
  return "matrix";
}
