import type { ColumnKind } from "../table/column.js";
import type { DriftMethod, DriftThresholds } from "./drift-thresholds.js";

/** How worrying a column's drift is. `no data`: the current data hold no values to compare. */
export type DriftLevel = "ok" | "warn" | "alert" | "no data";

/** Options of `compareColumn`. */
export interface CompareColumnOptions {
  /** Column name, echoed in the result. */
  column?: string;
  /** Drift score (default `auto`: see `compareColumn`). */
  method?: "auto" | DriftMethod;
  /** Limits on the score; when absent they are derived from the reference's chunks. */
  warn?: number;
  alert?: number;
  /** Limits on the absolute change of the null rate (default 0.05 / 0.10). */
  nullRate?: { warn: number; alert: number };
  /** Limits on the share of current rows with categories unseen in the reference (default 0.01 / 0.05). */
  unseen?: { warn: number; alert: number };
}

/** One column's drift between a reference and a current profile. */
export interface ColumnDrift {
  column: string;
  kind: ColumnKind;
  /** The score used, `null` for timestamps (not compared) or when there was nothing to compare. */
  method: DriftMethod | null;
  /** The effect size that decides the level (`null` when undefined; `reason` says why). */
  score: number | null;
  /** A test's p-value for the same comparison, reported only: at millions of rows it flags everything. */
  pValue: number | null;
  level: DriftLevel;
  /** One human-readable line. */
  reason: string;
  details: {
    thresholds: DriftThresholds | null;
    values: { reference: number; current: number };
    nullRate: { reference: number | null; current: number | null; change: number | null; level: DriftLevel };
    unseenShare?: { value: number | null; level: DriftLevel };
    /**
     * Present when a numeric score came from quantile sketches instead of the values themselves
     * (a reference profile without its sample, or a side with more values than the exact limit):
     * `bound` is the largest error of `score` the sketches' rank error allows (KS: the two rank
     * errors added; Wasserstein: that times the range over the reference standard deviation),
     * `null` when no bound can be stated (bin counts read off a sketch for PSI, Jensen–Shannon or
     * chi-square). Absent when the score is exact.
     */
    approximate?: { bound: number | null; reason: string };
    /**
     * Wasserstein only: the distance in the column's own units (`scipy.stats.wasserstein_distance`),
     * of which `score` is the multiple of the reference standard deviation; `null` when undefined.
     */
    distance?: number | null;
  };
}
