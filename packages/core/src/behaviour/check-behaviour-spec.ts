import { UserError } from "../errors/user-error.js";
import type { DataContract } from "../manifest/schema.js";
import type { BehaviourSpec } from "../manifest/schema-behaviour.js";
import type { ColumnKind } from "../table/column.js";
import type { BehaviourTask } from "./behaviour-result.js";

/** What a behaviour spec is checked against. */
export interface SpecContext {
  /** The manifest file, named in errors. */
  file: string;
  /** The model's input columns. */
  modelColumns: readonly string[];
  /** Kinds of the sampled data's columns. */
  kinds: ReadonlyMap<string, ColumnKind>;
  contract: DataContract | undefined;
}

/**
 * Checks `behaviour.invariance` and `behaviour.directional` against the model's inputs, the data's
 * column kinds and the data contract, before anything is scored: a test on a column the model does
 * not read, a directional test on a non-numeric column, and a perturbation that leaves the
 * contract's range or values are user mistakes, each a {@link UserError} naming the field.
 *
 * @example
 * checkBehaviourSpec(spec, { file, modelColumns: ["age", "region"], kinds, contract });
 * // throws for directional: [{ column: region, by: 1, expect: increase }]: "region is a category column ..."
 */
export function checkBehaviourSpec(spec: BehaviourSpec, context: SpecContext): void {
  const { file, modelColumns, kinds, contract } = context;
  const inputColumn = (column: string, field: string) => {
    if (!modelColumns.includes(column)) {
      throw new UserError(`${column} is not an input of the model`, {
        file,
        field,
        fix: `test one of the model's input columns: ${modelColumns.join(", ")}`,
      });
    }
  };
  spec.invariance.forEach((test, i) => {
    const field = `behaviour.invariance[${i}]`;
    inputColumn(test.column, `${field}.column`);
    if ((test.values === undefined) === (test.range === undefined)) {
      throw new UserError("an invariance test needs either values or range", {
        file,
        field,
        fix: `give values: [a, b] (the values to compare) or range: [low, high] (a numeric column), not ${test.values ? "both" : "neither"}`,
      });
    }
    const declared = contract?.columns[test.column];
    if (test.range) {
      const [low, high] = test.range;
      if (!(low < high)) {
        throw new UserError(`range [${low}, ${high}] is empty`, {
          file,
          field: `${field}.range`,
          fix: "write [low, high] with low < high",
        });
      }
      numericColumn(test.column, `${field}.range`, kinds, declared?.type, file, "range");
      outsideRange([low, high], declared, `${field}.range`, file);
    }
    if (test.values) {
      if (declared?.type === "category" && declared.values) {
        const allowed = declared.values.map(String);
        const unknown = test.values.filter((v) => !allowed.includes(String(v)));
        if (unknown.length > 0) {
          throw new UserError(
            `${unknown.map((v) => JSON.stringify(String(v))).join(", ")} ${unknown.length === 1 ? "is" : "are"} not among data.columns.${test.column}.values`,
            {
              file,
              field: `${field}.values`,
              fix: `compare values the contract allows: ${allowed.join(", ")} (edge-cases: true tests unseen values)`,
            },
          );
        }
      }
      if (kinds.get(test.column) === "number" || declared?.type === "number") {
        const bad = test.values.find((v) => typeof v !== "number");
        if (bad !== undefined) {
          throw new UserError(`${JSON.stringify(bad)} is not a number, and ${test.column} is numeric`, {
            file,
            field: `${field}.values`,
            fix: "list numbers, or use range: [low, high]",
          });
        }
        outsideRange(test.values as number[], declared, `${field}.values`, file);
      }
    }
  });
  spec.directional.forEach((test, i) => {
    const field = `behaviour.directional[${i}]`;
    inputColumn(test.column, `${field}.column`);
    const declared = contract?.columns[test.column];
    numericColumn(test.column, `${field}.column`, kinds, declared?.type, file, "directional");
    if (declared?.type === "number" && declared.min !== undefined && declared.max !== undefined) {
      const width = declared.max - declared.min;
      if (Math.abs(test.by) >= width) {
        throw new UserError(
          `a step of ${test.by} leaves data.columns.${test.column}'s range [${declared.min}, ${declared.max}] from every row`,
          { file, field: `${field}.by`, fix: `use a step smaller than ${width}` },
        );
      }
    }
  });
}

function numericColumn(
  column: string,
  field: string,
  kinds: ReadonlyMap<string, ColumnKind>,
  declared: string | undefined,
  file: string,
  what: "range" | "directional",
): void {
  const kind = declared ?? kinds.get(column);
  if (kind === "number") return;
  throw new UserError(
    `${column} is a ${kind ?? "missing"} column; ${what === "range" ? "a range" : "a directional test"} needs a numeric one`,
    {
      file,
      field,
      fix:
        what === "range"
          ? `list the values to compare instead: values: [a, b]`
          : `test a numeric column, or use an invariance test with values: [...] for ${column}`,
    },
  );
}

function outsideRange(
  values: readonly number[],
  declared: DataContract["columns"][string] | undefined,
  field: string,
  file: string,
): void {
  if (declared?.type !== "number") return;
  const out = values.find(
    (v) =>
      (declared.min !== undefined && v < declared.min) || (declared.max !== undefined && v > declared.max),
  );
  if (out === undefined) return;
  throw new UserError(
    `${out} is outside the contract's range [${declared.min ?? "-∞"}, ${declared.max ?? "∞"}]`,
    {
      file,
      field,
      fix: "test values the contract allows (edge-cases: true tests values outside the range)",
    },
  );
}

/**
 * Checks the fields whose meaning depends on the model's task and returns, per directional test,
 * the index of the class whose probability it moves (0 unless multiclass): a multiclass
 * directional test must name one of `classes`, `class` is refused elsewhere, and a regressor's
 * robustness needs `tolerance` (how far a predicted value may move before it counts as a flip).
 * Each mistake is a {@link UserError} naming the field.
 *
 * @example
 * directionalClasses(spec, "multiclass", ["basic", "plus", "premium"], file); // [2]
 */
export function directionalClasses(
  spec: BehaviourSpec,
  task: BehaviourTask,
  classes: readonly string[],
  file: string,
): number[] {
  if (spec.robustness && task === "regression" && spec.robustness.tolerance === undefined) {
    throw new UserError("a regressor's robustness test needs a tolerance", {
      file,
      field: "behaviour.robustness.tolerance",
      fix: "set tolerance: the largest move of a predicted value (in the target's units) that is not a flip",
    });
  }
  if (spec.robustness?.tolerance !== undefined && task !== "regression") {
    throw new UserError(`tolerance is for regression; this model's task is ${task}`, {
      file,
      field: "behaviour.robustness.tolerance",
      fix: "remove it: a classifier's flip is a change of its decided class",
    });
  }
  return spec.directional.map((test, i) => {
    const field = `behaviour.directional[${i}].class`;
    if (task !== "multiclass") {
      if (test.class === undefined) return 0;
      throw new UserError(`class is for multiclass models; this model's task is ${task}`, {
        file,
        field,
        fix:
          task === "binary"
            ? "remove it: a binary test moves the positive class's score"
            : "remove it: a regression test moves the predicted value",
      });
    }
    const index = test.class === undefined ? -1 : classes.indexOf(String(test.class));
    if (index < 0) {
      throw new UserError(
        test.class === undefined
          ? "a multiclass directional test must name the class whose probability should move"
          : `${JSON.stringify(test.class)} is not one of the model's classes`,
        { file, field, fix: `set class: to one of artefact.classes: ${classes.join(", ")}` },
      );
    }
    return index;
  });
}
