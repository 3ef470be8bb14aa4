import { type LabelledScoreCounts, PROFILE_SCHEMA, type Profile, UserError } from "@gauntlet/core";

const KINDS = new Set(["number", "category", "boolean", "timestamp"]);

/**
 * Checks that a parsed JSON value is a gauntlet profile (`gauntlet/profile@1`) and, when `model`
 * is given, that it was built for that model. A profile downloaded from a release is untrusted
 * input: anything else is a {@link UserError} naming where it came from.
 *
 * @example
 * parseProfile(JSON.parse(text), "data/reference/profile.json", "churn");
 * // { schema: "gauntlet/profile@1", model: { name: "churn", version: "1.2.0" }, rows: 5000, ... }
 */
export function parseProfile(value: unknown, where: string, model?: string): Profile {
  const p = value as Partial<Profile> | null;
  const columnsOk =
    typeof p?.columns === "object" &&
    p.columns !== null &&
    Object.values(p.columns).every(
      (c) =>
        typeof c === "object" &&
        c !== null &&
        KINDS.has((c as { kind: string }).kind) &&
        typeof c.rows === "number",
    );
  if (!p || p.schema !== PROFILE_SCHEMA || typeof p.rows !== "number" || !columnsOk) {
    throw new UserError(`not a gauntlet profile (expected "schema": "${PROFILE_SCHEMA}" with columns)`, {
      file: where,
      fix: "point the reference at a profile.json written by gauntlet promote, or at a data file to profile",
    });
  }
  const labelled = p.calibration?.labelledScores;
  if (labelled !== undefined && !isLabelledScoreCounts(labelled)) {
    throw new UserError("the profile's labelled score counts are malformed", {
      file: where,
      field: "calibration.labelledScores",
      fix: "use the profile.json promote wrote, unedited (or delete calibration.labelledScores: drift-check then warns that it cannot check calibration)",
    });
  }
  const byClass = p.classCalibration;
  if (
    byClass !== undefined &&
    !(
      Array.isArray(byClass.classes) &&
      Array.isArray(byClass.labelledScores) &&
      byClass.labelledScores.length === byClass.classes.length &&
      byClass.labelledScores.every(isLabelledScoreCounts)
    )
  ) {
    throw new UserError("the profile's labelled class probabilities are malformed", {
      file: where,
      field: "classCalibration",
      fix: "use the profile.json promote wrote, unedited (or delete classCalibration: drift-check then warns that it cannot check the class probabilities' calibration)",
    });
  }
  if (model !== undefined && p.model && p.model.name !== model) {
    throw new UserError(`the reference profile is of model '${p.model.name}', not '${model}'`, {
      file: where,
      field: "monitoring.reference",
      fix: `use ${model}'s own profile.json (its release asset), or a data file of ${model}'s reference data`,
    });
  }
  return p as Profile;
}

/** `{ bins, counts: [bin, negatives, positives, …] }` with bins ascending inside the grid and whole counts. */
function isLabelledScoreCounts(value: unknown): value is LabelledScoreCounts {
  const v = value as Partial<LabelledScoreCounts> | null;
  if (!v || !Number.isSafeInteger(v.bins) || v.bins! < 1 || v.bins! > 1 << 20) return false;
  const counts = v.counts;
  if (!Array.isArray(counts) || counts.length % 3 !== 0) return false;
  let previous = -1;
  for (let at = 0; at < counts.length; at += 3) {
    const [bin, negatives, positives] = counts.slice(at, at + 3) as unknown[];
    const whole = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
    if (!whole(bin) || bin <= previous || bin >= v.bins!) return false;
    if (!whole(negatives) || !whole(positives)) return false;
    previous = bin;
  }
  return true;
}
