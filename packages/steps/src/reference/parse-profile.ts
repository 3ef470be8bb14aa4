import { PROFILE_SCHEMA, type Profile, UserError } from "@gauntlet/core";

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
  if (model !== undefined && p.model && p.model.name !== model) {
    throw new UserError(`the reference profile is of model '${p.model.name}', not '${model}'`, {
      file: where,
      field: "monitoring.reference",
      fix: `use ${model}'s own profile.json (its release asset), or a data file of ${model}'s reference data`,
    });
  }
  return p as Profile;
}
