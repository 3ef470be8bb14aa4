import type { ColumnKind, ColumnSummary, DataContract, Tally } from "@gauntlet/core";

/**
 * Whether the contract's checks list a column's null rows: when it is not nullable, or its null
 * fraction is over its limit. Otherwise only the count is shown, and the rows are not looked up.
 */
export function nullsListed(name: string, fraction: number, contract: DataContract): boolean {
  const declared = contract.columns[name];
  if (declared !== undefined && !declared.nullable) return true;
  const limit = declared?.["max-null-fraction"] ?? contract["max-null-fraction"];
  return limit !== undefined && fraction > limit;
}

/** A tally of nothing. */
export function none(): Tally {
  return { count: 0, rows: [] };
}

/** A declared column the file does not have. */
export function absent(kind: ColumnKind, source: string): ColumnSummary {
  return {
    kind,
    rows: 0,
    filesMissing: [source],
    nulls: none(),
    invalid: none(),
    invalidExample: undefined,
    mismatched: none(),
    mismatchedKind: undefined,
    nonFinite: none(),
    belowMin: none(),
    aboveMax: none(),
    unseen: none(),
    unseenValues: new Set(),
    unseenValuesCapped: false,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    sum: 0,
    count: 0,
    distinct: 0,
    distinctCapped: false,
  };
}
