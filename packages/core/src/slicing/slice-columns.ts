import { UserError } from "../errors/user-error.js";
import type { Column } from "../table/column.js";
import { type SliceSpec, specColumns } from "./slice-spec.js";

/** A slice spec's columns, looked up and checked; `bins` only for a binned spec. */
export interface ResolvedSpec {
  cols: { name: string; column: Column }[];
  bins: readonly number[] | null;
}

/**
 * Finds the columns of slice spec `s` and checks that it can apply: every column present, and
 * for bins a numeric column and ascending finite edges. Mistakes are `UserError`s naming the
 * manifest field (`evaluation.slices[s]`).
 *
 * @example
 * resolveSpec(new Map([["region", region]]), "region", 0).cols[0].name; // "region"
 */
export function resolveSpec(
  columns: ReadonlyMap<string, Column>,
  spec: SliceSpec,
  s: number,
  file?: string,
): ResolvedSpec {
  const field = `evaluation.slices[${s}]`;
  const where = (at: string, fix: string) => ({ ...(file ? { file } : {}), field: at, fix });
  const cols = specColumns(spec).map((name) => {
    const column = columns.get(name);
    if (!column) {
      throw new UserError(
        `column ${JSON.stringify(name)} is not in the evaluation data`,
        where(field, `slice by one of: ${[...columns.keys()].slice(0, 20).join(", ")}`),
      );
    }
    return { name, column };
  });
  if (typeof spec !== "object" || Array.isArray(spec)) return { cols, bins: null };
  const bins = (spec as { bins: number[] }).bins;
  const { name, column } = cols[0]!;
  if (column.kind !== "number") {
    throw new UserError(
      `column ${JSON.stringify(name)} is ${column.kind}, bins need numbers`,
      where(`${field}.bins`, `slice by ${name} without bins`),
    );
  }
  if (bins.length === 0 || bins.some((e, i) => !Number.isFinite(e) || (i > 0 && e <= bins[i - 1]!))) {
    throw new UserError(
      "expected ascending finite numbers",
      where(`${field}.bins`, "sort the bin edges and drop repeats"),
    );
  }
  return { cols, bins };
}
