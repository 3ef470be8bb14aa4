import { type ColumnKind, dottedNameFix, formatFieldPath, type Manifest, UserError } from "@gauntlet/core";
import { FEED_TYPES, type FeedType, feedProblem, isFeedType } from "./feed-types.js";
import type { ScoringModel } from "./load-model.js";
import { describeValue, listValues, type ModelValue } from "./model-value.js";

/** How one model input is fed: which columns, as which element type, in which layout. */
export interface InputFeed {
  /** The model input's name. */
  input: string;
  /** The columns, in tensor column order. */
  columns: readonly string[];
  elementType: FeedType;
  /** `vector`: `[N]`; `matrix`: `[N, k]` with `k = columns.length`. */
  layout: "vector" | "matrix";
  /** The manifest field that maps this input, for messages. */
  field: string;
}

/** The column kinds of the data to be scored, when known before scoring. */
export type ColumnKinds = ReadonlyMap<string, ColumnKind>;

/**
 * Resolves `artefact.inputs` against the model's declared inputs: every model input fed, every
 * mapped name a model input, column counts matching fixed widths, column kinds matching element
 * types (when `kinds` is given). Each mismatch is one {@link UserError} in the manifest.
 *
 * @example
 * planInputs(model, { numeric: ["tenure_months", "age"] }, undefined);
 * // [{ input: "numeric", columns: ["tenure_months", "age"], elementType: "float32", layout: "matrix",
 * //    field: "artefact.inputs.numeric" }]
 */
export function planInputs(
  model: ScoringModel,
  inputs: Manifest["artefact"]["inputs"],
  kinds: ColumnKinds | undefined,
): InputFeed[] {
  const file = model.manifestFile;
  const mapped = inputs === "auto" ? undefined : inputs;
  if (mapped) {
    for (const name of Object.keys(mapped)) {
      if (!model.inputs.some((v) => v.name === name)) {
        throw new UserError(
          `the model has no input named "${name}"; its inputs are ${listValues(model.inputs)}`,
          {
            file,
            field: formatFieldPath(["artefact", "inputs", name]),
            fix: "use the model's input names as keys under artefact.inputs",
          },
        );
      }
    }
  }
  return model.inputs.map((value) => {
    const target = mapped?.[value.name];
    if (mapped && target === undefined) {
      throw new UserError(`the model input ${describeValue(value)} is not fed by any column`, {
        file,
        field: "artefact.inputs",
        fix: `add \`${value.name}: <column>\` (or a list of columns) under artefact.inputs`,
      });
    }
    const field = mapped ? formatFieldPath(["artefact", "inputs", value.name]) : "artefact.inputs";
    const feed = planInput(value, target ?? value.name, field, file, inputs === "auto");
    if (kinds) checkKinds(feed, kinds, file);
    return feed;
  });
}

function planInput(
  value: ModelValue,
  target: string | string[],
  field: string,
  file: string,
  auto: boolean,
): InputFeed {
  if (!value.isTensor) {
    throw new UserError(`the model input ${describeValue(value)} cannot be fed from table columns`, {
      file,
      field,
      fix: "export the model with tensor inputs",
    });
  }
  const elementType = value.elementType;
  if (!isFeedType(elementType)) {
    throw new UserError(`the model input ${describeValue(value)} has an element type gauntlet cannot feed`, {
      file,
      field,
      fix: `export the model with ${FEED_TYPES.join(", ")} inputs (e.g. cast in the graph)`,
    });
  }
  const columns = typeof target === "string" ? [target] : target;
  const shape = value.shape;
  const width = shape.length === 2 ? shape[1] : undefined;
  const batch = shape[0];
  if (typeof batch === "number" && batch !== 1) {
    throw new UserError(`the model input ${describeValue(value)} has a fixed batch size of ${batch}`, {
      file,
      field,
      fix: "export the model with a dynamic first axis (torch.onnx.export: dynamic_axes={name: {0: 'N'}})",
    });
  }
  if (shape.length > 2 || (shape.length === 1 && columns.length > 1)) {
    throw new UserError(
      `the model input ${describeValue(value)} takes ${shape.length === 1 ? "one column" : `a rank-${shape.length} tensor`}, ` +
        `but ${columns.length} columns are mapped to it`,
      { file, field, fix: "map one column to it, or export the model with an [N, k] input" },
    );
  }
  if (typeof width === "number" && width !== columns.length) {
    const fix = auto
      ? `list its ${width} columns: inputs: { ${value.name}: [col1, …, col${width}] } instead of \`inputs: auto\``
      : `list exactly ${width} columns in the order the model was trained on`;
    throw new UserError(
      `the model input ${describeValue(value)} takes ${width} columns, but ${columns.length} ${columns.length === 1 ? "is" : "are"} mapped to it`,
      { file, field, fix },
    );
  }
  // A model with no declared shape gets the layout the manifest implies.
  const layout =
    shape.length === 1 || (shape.length === 0 && typeof target === "string") ? "vector" : "matrix";
  return { input: value.name, columns, elementType, layout, field };
}

function checkKinds(feed: InputFeed, kinds: ColumnKinds, file: string): void {
  feed.columns.forEach((column, i) => {
    const field =
      feed.columns.length > 1 && feed.field !== "artefact.inputs" ? `${feed.field}[${i}]` : feed.field;
    const kind = kinds.get(column);
    if (kind === undefined) {
      throw new UserError(`column "${column}" (feeding model input ${feed.input}) is not in the data`, {
        file,
        field,
        fix:
          dottedNameFix(column, kinds.keys()) ??
          "check the column name against the data's header, or map the input to another column",
      });
    }
    const problem = feedProblem(kind, feed.elementType);
    if (problem) {
      throw new UserError(`column "${column}" ${problem.problem} (${feed.input})`, {
        file,
        field,
        fix: problem.fix,
      });
    }
  });
}
