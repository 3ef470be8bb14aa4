import { inputRef, type ShadowResult, UserError } from "@gauntlet/core";
import type { LogCounts } from "./read-shadow-log.js";

/**
 * The "no data" {@link UserError}: the log is empty, or every row was left out (with how many, and why).
 *
 * @example
 * noData("logs/shadow.jsonl", emptyLogCounts(), 0, "models/churn/model.yml").message;
 * // "models/churn/model.yml: shadow.log: no data: the log logs/shadow.jsonl has no rows. Fix: …"
 */
export function noData(log: string, counts: LogCounts, missingChallenger: number, file: string): UserError {
  const left = [
    counts.duplicateIds ? `${counts.duplicateIds} repeated ids` : "",
    counts.missingId ? `${counts.missingId} without an id` : "",
    counts.missingChampionScore ? `${counts.missingChampionScore} without a champion score` : "",
    missingChallenger ? `${missingChallenger} without a candidate score` : "",
    ...[...counts.otherVersions].map(([v, n]) => `${n} of version ${v}`),
  ].filter(Boolean);
  const what =
    counts.rows === 0
      ? `the log ${log} has no rows`
      : `none of the ${counts.rows} rows of ${log} can be compared (${left.join(", ")})`;
  return new UserError(`no data: ${what}`, {
    file,
    field: "shadow.log",
    fix: `point shadow.log (or ${inputRef("log")}) at logged requests of the production version with a champion score`,
  });
}

/**
 * Notes under the report: a log mixing versions without `champion-version`, and skew not measured by replay.
 *
 * @example
 * shadowNotes(counts, "model_version", undefined, true); // ["The log mixes model versions 1.2.0 (900 rows), 1.1.0 (100 rows); …"]
 */
export function shadowNotes(
  counts: LogCounts,
  versionField: string | undefined,
  version: string | undefined,
  replayed: boolean,
): string[] {
  const out: string[] = [];
  if (versionField && version === undefined && counts.versions.size > 1) {
    const seen = [...counts.versions].map(([v, n]) => `${v} (${n} rows)`).join(", ");
    out.push(`The log mixes model versions ${seen}; pass champion-version to compare one of them only.`);
  }
  if (!replayed)
    out.push(
      "Training-serving skew by replay was not measured: pass champion-model (the production .onnx) to replay it on the logged features.",
    );
  return out;
}

/**
 * The `log` block of `shadow.json`: rows read, compared, and left out by reason.
 *
 * @example
 * logSummary("logs/shadow.jsonl", counts, 3955, 0); // { source: "logs/shadow.jsonl", rows: 4000, compared: 3955, duplicateIds: 45, … }
 */
export function logSummary(
  log: string,
  counts: LogCounts,
  compared: number,
  missingChallengerScore: number,
): ShadowResult["log"] {
  return {
    source: log,
    files: [...counts.files],
    rows: counts.rows,
    compared,
    duplicateIds: counts.duplicateIds,
    repeatedIds: [...counts.duplicateExamples],
    missingId: counts.missingId,
    missingChampionScore: counts.missingChampionScore,
    missingChallengerScore,
    otherVersions: Object.fromEntries(counts.otherVersions),
  };
}
