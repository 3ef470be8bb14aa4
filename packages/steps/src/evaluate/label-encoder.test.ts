import { type Column, isUserError, type UserError } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { collectColumn } from "./column-collector.js";
import { encodeLabels } from "./label-encoder.js";

const numbers = (values: number[]): Column => ({
  kind: "number",
  values: Float64Array.from(values),
  nulls: Uint8Array.from(values, (v) => (Number.isNaN(v) ? 1 : 0)),
});
const text = (values: string[]): Column => ({
  kind: "category",
  values,
  nulls: new Uint8Array(values.length),
});
const where = { column: "churned", manifestFile: "models/churn/model.yml" };

function caught(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    return error as UserError;
  }
  throw new Error("expected a UserError");
}

describe("encodeLabels", () => {
  it("maps binary labels to 1 for the positive class, whatever the classes' order", () => {
    const labels = encodeLabels(text(["yes", "no", "yes"]), {
      ...where,
      task: "binary",
      classes: ["yes", "no"],
      positiveIndex: 0,
    });
    expect([...labels]).toEqual([1, 0, 1]);
  });

  it("matches numeric labels to classes by text and gives multiclass indices", () => {
    const labels = encodeLabels(numbers([2, 0, 1]), { ...where, task: "multiclass", classes: [0, 1, 2] });
    expect([...labels]).toEqual([2, 0, 1]);
  });

  it("names the column, the bad values (raw text for unparsed cells) and how many rows", () => {
    const error = caught(() =>
      encodeLabels(numbers([0, 2, Number.NaN, 2, Number.NaN]), {
        ...where,
        task: "binary",
        classes: [0, 1],
        positiveIndex: 1,
        rawText: new Map([[2, "yes"]]),
      }),
    );
    expect(error.field).toBe("evaluation.label");
    expect(error.file).toBe("models/churn/model.yml");
    expect(error.problem).toBe(
      'the label column "churned" has 4 of 5 rows that are not one of artefact.classes [0,1]: "2" (2 rows), "yes" (1 rows), "(missing)" (1 rows)',
    );
  });

  it("keeps regression targets and refuses missing or non-numeric ones", () => {
    expect([...encodeLabels(numbers([1.5, 2]), { ...where, task: "regression" })]).toEqual([1.5, 2]);
    expect(
      caught(() => encodeLabels(numbers([1, Number.NaN]), { ...where, task: "regression" })).problem,
    ).toMatch(/1 of 2 rows that are not finite numbers: "\(missing\)"/);
    expect(caught(() => encodeLabels(text(["a"]), { ...where, task: "regression" })).problem).toMatch(
      /must be numeric/,
    );
  });
});

describe("collectColumn", () => {
  it("joins batches and fills a batch without the column with nulls", () => {
    const collector = collectColumn();
    collector.add(numbers([1, 2]), 2);
    collector.add(undefined, 1);
    collector.add(numbers([3]), 1);
    const column = collector.finish();
    expect(column.kind).toBe("number");
    expect([...(column.values as Float64Array)]).toEqual([1, 2, Number.NaN, 3]);
    expect([...column.nulls]).toEqual([0, 0, 1, 0]);
  });
});
