import { OTHER } from "../slicing/assign-slices.js";
import { binIndex, binLabels, MISSING } from "../slicing/bin-label.js";
import { type SliceSpec, specColumns } from "../slicing/slice-spec.js";
import { cellText } from "../slicing/slice-value.js";
import type { Column } from "../table/column.js";
import type { SliceAgreementResult } from "./shadow-result.js";

/** Counts requests and disagreements per slice as rows stream by. */
export interface SliceAgreement {
  /** Adds row `row` of a batch whose columns hold the slice columns (plain names). */
  add(columns: ReadonlyMap<string, Column>, row: number, disagrees: boolean): void;
  /** Every slice, worst (highest disagreement) first; suppressed slices last. */
  finish(): SliceAgreementResult[];
}

/** Options of {@link createSliceAgreement}. */
export interface SliceAgreementOptions {
  /** Slices with fewer requests are reported without their rate. Default 30. */
  minSliceSize?: number;
  /** Distinct values tracked per spec; later values pool into `(other)`. Default 1,000. */
  maxSlicesPerSpec?: number;
}

/**
 * Decision agreement per slice of the manifest's slice specs (a column, a column cut by bins, or
 * a cross of two columns), labelled exactly as evaluate-slices labels them, so a reviewer can find
 * the same slice in both sections. Memory is bounded by `maxSlicesPerSpec` per spec.
 *
 * @example
 * const slices = createSliceAgreement(["region"]);
 * slices.add(batch.columns, 0, true);
 * slices.finish(); // [{ key: { region: "MA" }, n: 1, disagreement: null, suppressed: true }]
 */
export function createSliceAgreement(
  specs: readonly SliceSpec[],
  options: SliceAgreementOptions = {},
): SliceAgreement {
  const minSize = options.minSliceSize ?? 30;
  const cap = options.maxSlicesPerSpec ?? 1000;
  const tables = specs.map(
    () => new Map<string, { key: Record<string, string>; n: number; flips: number }>(),
  );
  const plans = specs.map((spec) => {
    const columns = specColumns(spec);
    const bins =
      typeof spec === "object" && !Array.isArray(spec) ? (spec as { bins: number[] }).bins : undefined;
    return { columns, bins, labels: bins ? binLabels(bins) : undefined };
  });
  return {
    add(columns, row, disagrees) {
      plans.forEach((plan, s) => {
        const values = plan.columns.map((name) => {
          const column = columns.get(name);
          if (plan.bins && column && (column.kind === "number" || column.kind === "timestamp")) {
            return plan.labels![binIndex(column.nulls[row] ? Number.NaN : column.values[row]!, plan.bins)]!;
          }
          return column ? cellText(column, row) : MISSING;
        });
        const table = tables[s]!;
        let id = values.join("\u0000");
        let entry = table.get(id);
        if (!entry && table.size >= cap) {
          id = OTHER;
          entry = table.get(id);
        }
        if (!entry) {
          const key = Object.fromEntries(
            plan.columns.map((name, i) => [name, id === OTHER ? OTHER : values[i]!]),
          );
          entry = { key, n: 0, flips: 0 };
          table.set(id, entry);
        }
        entry.n++;
        if (disagrees) entry.flips++;
      });
    },
    finish() {
      const out = tables.flatMap((table) =>
        [...table.values()].map((e): SliceAgreementResult => {
          const suppressed = e.n < minSize;
          return { key: e.key, n: e.n, disagreement: suppressed ? null : e.flips / e.n, suppressed };
        }),
      );
      return out.sort(
        (a, b) =>
          Number(a.suppressed) - Number(b.suppressed) ||
          (b.disagreement ?? 0) - (a.disagreement ?? 0) ||
          b.n - a.n,
      );
    },
  };
}
