import { parseDuration } from "../manifest/duration.js";
import type { DataContract } from "../manifest/schema.js";
import type { Check, CheckStatus } from "../results/check.js";
import type { ColumnKind } from "../table/column.js";
import type { ColumnSummary, RowRef, TableSummary, Tally } from "./table-summary.js";

const KIND_TEXT: Record<ColumnKind, string> = {
  number: "numbers",
  category: "text",
  boolean: "booleans",
  timestamp: "timestamps",
};

/**
 * The checks of a data contract over accumulated state, in a stable order: row count, key,
 * duplicate rows, then each declared column (presence, type, parsing, non-finite numbers, nulls,
 * range, allowed values, freshness), then the data-level null limit on undeclared columns.
 * Every check carries its measured value and limit; checks of a missing column are `skip`.
 * `now` is the clock for `max-age`.
 *
 * @example
 * contractChecks(contract, summary, new Date()).map((c) => c.id);
 * // ["rows-min", "key-unique", "key-not-null", "duplicate-rows", "column-present", "column-type", ...]
 */
export function contractChecks(contract: DataContract, summary: TableSummary, now: Date): Check[] {
  const checks: Check[] = [];
  const { rows } = summary;
  if (contract.rows?.min !== undefined) {
    const min = contract.rows.min;
    checks.push({
      id: "rows-min",
      status: rows >= min ? "pass" : "fail",
      value: rows,
      limit: min,
      reason:
        rows >= min
          ? `${rows} rows, at least ${min} required`
          : `only ${rows} rows; at least ${min} required`,
    });
  }
  if (contract.rows?.max !== undefined) {
    const max = contract.rows.max;
    checks.push({
      id: "rows-max",
      status: rows <= max ? "pass" : "fail",
      value: rows,
      limit: max,
      reason: rows <= max ? `${rows} rows, at most ${max} allowed` : `${rows} rows; at most ${max} allowed`,
    });
  }
  checks.push(...keyChecks(summary));
  const duplicates = summary.duplicateRows;
  const policy = contract["duplicate-rows"];
  checks.push(
    tallyCheck("duplicate-rows", undefined, duplicates, duplicates.count === 0 ? "pass" : severity(policy), {
      pass: "no row repeats an earlier row",
      fail: `${duplicates.count} rows repeat an earlier row${policy === "ignore" ? " (duplicate-rows: ignore)" : ""}`,
    }),
  );
  for (const name of Object.keys(contract.columns)) {
    const acc = summary.columns.get(name)!;
    checks.push(...columnChecks(name, acc, contract, now));
  }
  if (contract["max-null-fraction"] !== undefined) {
    for (const [name, acc] of summary.columns) {
      if (!(name in contract.columns) && acc.rows > 0)
        checks.push(nullFractionCheck(name, acc, contract["max-null-fraction"]));
    }
  }
  return checks;
}

function keyChecks(u: TableSummary): Check[] {
  if (u.keyColumns.length === 0) return [];
  const column = u.keyColumns.join(", ");
  if (u.keyMissing) {
    const reason = `key column ${column} is missing from some files`;
    return [
      { id: "key-unique", column, status: "fail", value: null, limit: 0, reason },
      { id: "key-not-null", column, status: "skip", value: null, limit: 0, reason },
    ];
  }
  return [
    tallyCheck("key-unique", column, u.duplicateKeys, u.duplicateKeys.count === 0 ? "pass" : "fail", {
      pass: `every ${column} is unique`,
      fail: `${u.duplicateKeys.count} rows repeat an earlier ${column}`,
    }),
    tallyCheck("key-not-null", column, u.nullKeys, u.nullKeys.count === 0 ? "pass" : "fail", {
      pass: `every row has a ${column}`,
      fail: `${u.nullKeys.count} rows have no ${column}`,
    }),
  ];
}

function columnChecks(name: string, acc: ColumnSummary, contract: DataContract, now: Date): Check[] {
  const declared = contract.columns[name]!;
  const present = acc.filesMissing.length === 0 && acc.rows > 0;
  const presence: Check = {
    id: "column-present",
    column: name,
    status: present ? "pass" : "fail",
    value: present,
    limit: true,
    reason: present ? "present in every file" : `missing from ${listFiles(acc.filesMissing)}`,
  };
  const checks: Check[] = [presence];
  const ids = columnCheckIds(declared, contract);
  if (acc.rows === 0) {
    for (const id of ids) {
      checks.push({
        id,
        column: name,
        status: "skip",
        value: null,
        limit: null,
        reason: "column is missing",
      });
    }
    return checks;
  }
  const kind = KIND_TEXT[declared.type];
  checks.push(
    tallyCheck("column-type", name, acc.mismatched, acc.mismatched.count === 0 ? "pass" : "fail", {
      pass: `read as ${kind}`,
      fail: `expected ${kind}, found ${KIND_TEXT[acc.mismatchedKind ?? "category"]} in ${acc.mismatched.count} rows`,
    }),
  );
  const example = acc.invalidExample === undefined ? "" : `; e.g. ${JSON.stringify(acc.invalidExample)}`;
  checks.push(
    tallyCheck("parse", name, acc.invalid, acc.invalid.count === 0 ? "pass" : "fail", {
      pass: `every value reads as ${declared.type}`,
      fail: `${acc.invalid.count} values could not be read as ${declared.type}${example}`,
    }),
  );
  if (declared.type === "number") {
    checks.push(
      tallyCheck("non-finite", name, acc.nonFinite, acc.nonFinite.count === 0 ? "pass" : "fail", {
        pass: "no NaN or infinite values",
        fail: `${acc.nonFinite.count} values are NaN or infinite`,
      }),
    );
  }
  if (!declared.nullable) {
    checks.push(
      tallyCheck("not-null", name, acc.nulls, acc.nulls.count === 0 ? "pass" : "fail", {
        pass: "no nulls",
        fail: `${acc.nulls.count} nulls; the column is not nullable`,
      }),
    );
  }
  const maxNull = declared["max-null-fraction"] ?? contract["max-null-fraction"];
  if (maxNull !== undefined) checks.push(nullFractionCheck(name, acc, maxNull));
  if (declared.type === "number") checks.push(...rangeChecks(name, acc, declared.min, declared.max));
  if (declared.type === "category" && declared.values) checks.push(allowedValuesCheck(name, acc, declared));
  if (declared.type === "timestamp" && declared["max-age"]) {
    checks.push(freshnessCheck(name, acc, declared["max-age"], now));
  }
  return checks;
}

/** Ids of the checks a declared column gets besides presence, to skip them all when it is missing. */
function columnCheckIds(declared: DataContract["columns"][string], contract: DataContract): string[] {
  const ids = ["column-type", "parse"];
  if (declared.type === "number") ids.push("non-finite");
  if (!declared.nullable) ids.push("not-null");
  if ((declared["max-null-fraction"] ?? contract["max-null-fraction"]) !== undefined)
    ids.push("null-fraction");
  if (declared.type === "number" && declared.min !== undefined) ids.push("range-min");
  if (declared.type === "number" && declared.max !== undefined) ids.push("range-max");
  if (declared.type === "category" && declared.values) ids.push("allowed-values");
  if (declared.type === "timestamp" && declared["max-age"]) ids.push("max-age");
  return ids;
}

function nullFractionCheck(name: string, acc: ColumnSummary, limit: number): Check {
  const fraction = acc.nulls.count / acc.rows;
  const share = `${percent(fraction)} null (${acc.nulls.count} of ${acc.rows} rows)`;
  return {
    id: "null-fraction",
    column: name,
    status: fraction <= limit ? "pass" : "fail",
    value: fraction,
    limit,
    reason: `${share}; at most ${percent(limit)} allowed`,
    ...(fraction > limit ? { rows: [...acc.nulls.rows] } : {}),
  };
}

function rangeChecks(name: string, acc: ColumnSummary, min?: number, max?: number): Check[] {
  const checks: Check[] = [];
  const seen = acc.count > 0;
  if (min !== undefined) {
    checks.push({
      ...tallyCheck("range-min", name, acc.belowMin, acc.belowMin.count === 0 ? "pass" : "fail", {
        pass: seen ? `lowest value ${acc.min} is at least ${min}` : "no values to check",
        fail: `${acc.belowMin.count} values below ${min} (lowest ${acc.min})`,
      }),
      value: seen ? acc.min : null,
      limit: min,
    });
  }
  if (max !== undefined) {
    checks.push({
      ...tallyCheck("range-max", name, acc.aboveMax, acc.aboveMax.count === 0 ? "pass" : "fail", {
        pass: seen ? `highest value ${acc.max} is at most ${max}` : "no values to check",
        fail: `${acc.aboveMax.count} values above ${max} (highest ${acc.max})`,
      }),
      value: seen ? acc.max : null,
      limit: max,
    });
  }
  return checks;
}

function allowedValuesCheck(
  name: string,
  acc: ColumnSummary,
  declared: { values?: (string | number | boolean)[]; unseen: "error" | "warn" | "ignore" },
): Check {
  const values = [...acc.unseenValues].map((v) => JSON.stringify(v)).join(", ");
  const more = acc.unseenValuesCapped ? " and more" : "";
  const ignored = declared.unseen === "ignore" ? " (unseen: ignore)" : "";
  return {
    ...tallyCheck(
      "allowed-values",
      name,
      acc.unseen,
      acc.unseen.count === 0 ? "pass" : severity(declared.unseen),
      {
        pass: "every value is in the allowed list",
        fail: `${acc.unseen.count} rows hold values not in the list: ${values}${more}${ignored}`,
      },
    ),
    limit: (declared.values ?? []).map(String),
  };
}

function freshnessCheck(name: string, acc: ColumnSummary, maxAge: string, now: Date): Check {
  const oldestAllowed = now.getTime() - parseDuration(maxAge);
  const limit = new Date(oldestAllowed).toISOString();
  if (acc.count === 0) {
    return {
      id: "max-age",
      column: name,
      status: "fail",
      value: null,
      limit,
      reason: "no timestamps to check",
    };
  }
  const age = (now.getTime() - acc.max) / 86_400_000;
  const fresh = acc.max >= oldestAllowed;
  const newest = new Date(acc.max).toISOString();
  return {
    id: "max-age",
    column: name,
    status: fresh ? "pass" : "fail",
    value: newest,
    limit,
    reason: `newest is ${newest}, ${age.toFixed(1)} days old; max-age is ${maxAge}`,
  };
}

function tallyCheck(
  id: string,
  column: string | undefined,
  tally: Tally,
  status: CheckStatus,
  reasons: { pass: string; fail: string },
): Check {
  const bad = tally.count > 0;
  return {
    id,
    ...(column === undefined ? {} : { column }),
    status,
    value: tally.count,
    limit: 0,
    reason: bad ? `${reasons.fail} (first: ${listRows(tally.rows)})` : reasons.pass,
    ...(bad ? { rows: [...tally.rows] } : {}),
  };
}

function severity(policy: "error" | "warn" | "ignore"): CheckStatus {
  return policy === "error" ? "fail" : policy === "warn" ? "warn" : "pass";
}

/**
 * Row references as people read them: `rows 3, 17` from one file, `a.csv row 3, b.csv row 5` from several.
 *
 * @example
 * listRows([{ source: "a.csv", row: 3 }, { source: "a.csv", row: 17 }]); // "rows 3, 17"
 */
export function listRows(rows: readonly RowRef[]): string {
  const sources = new Set(rows.map((r) => r.source));
  if (sources.size <= 1) return `row${rows.length === 1 ? "" : "s"} ${rows.map((r) => r.row).join(", ")}`;
  return rows.map((r) => `${r.source} row ${r.row}`).join(", ");
}

function listFiles(files: readonly string[]): string {
  return files.length <= 3
    ? files.join(", ")
    : `${files.slice(0, 3).join(", ")} and ${files.length - 3} more files`;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))}%`;
}
