import type { ColumnKind, Manifest, Profile } from "@gauntlet/core";
import { UserError } from "@gauntlet/core";

type Monitoring = NonNullable<Manifest["monitoring"]>;

/** The logged fields drift-check reads, and the reference columns it compares. */
export interface DriftFields {
  fields: { timestamp: string; features?: string; score?: string; outcome?: string; version?: string };
  /** Reference columns to compare (feature names, without the `features` prefix). */
  columns: string[];
  /** Kinds to read the logs with: features as the reference has them, the timestamp as a timestamp. */
  kinds: Record<string, ColumnKind>;
  /** Logged columns to materialise (projection). */
  read: string[];
}

/**
 * Works out which reference columns are features and how they are named in the logs. The model's
 * inputs decide when the manifest maps them; with `inputs: auto` every reference column except
 * the key, label, outcome, score, id and timestamps is a feature.
 *
 * @example
 * driftFields(manifest, "models/churn/model.yml", reference);
 * // { fields: { timestamp: "ts", features: "inputs", ... }, columns: ["age", "plan", ...], kinds: {...}, read: [...] }
 */
export function driftFields(manifest: Manifest, file: string, reference: Profile): DriftFields {
  const monitoring = manifest.monitoring as Monitoring;
  if (!monitoring.timestamp) {
    throw new UserError("drift-check needs the logged prediction time to cut the log into windows", {
      file,
      field: "monitoring.timestamp",
      fix: "set monitoring.timestamp to the field holding each prediction's time, e.g. timestamp: ts",
    });
  }
  const fields: DriftFields["fields"] = { timestamp: monitoring.timestamp };
  if (monitoring.features) fields.features = monitoring.features;
  if (monitoring.score) fields.score = monitoring.score;
  if (monitoring.outcome) fields.outcome = monitoring.outcome;
  if (monitoring["version-field"]) fields.version = monitoring["version-field"];

  const feature = isFeature(manifest);
  const columns = Object.entries(reference.columns)
    .filter(([name, p]) => p.kind !== "timestamp" && feature(name))
    .map(([name]) => name);

  const prefix = (c: string): string => (fields.features ? `${fields.features}.${c}` : c);
  const kinds: Record<string, ColumnKind> = { [fields.timestamp]: "timestamp" };
  for (const c of columns) kinds[prefix(c)] = reference.columns[c]!.kind;
  // A multiclass reference profiles the predicted class as a category; scores are numbers.
  if (fields.score) kinds[fields.score] = reference.columns[fields.score]?.kind ?? "number";
  if (fields.version) kinds[fields.version] = "category";
  const read = [fields.timestamp, ...columns.map(prefix)];
  for (const f of [fields.score, fields.outcome, fields.version]) if (f) read.push(f);
  return { fields, columns, kinds, read };
}

/**
 * Whether a column of the evaluation data is a feature drift-check compares: a model input when
 * the manifest maps them, else any column but the key, label, sample weight, outcome, id and score. Keys and ids
 * are never features, even as declared inputs (the reference sample must not hold them).
 *
 * @example
 * isFeature(manifest)("tenure_months"); // true
 * isFeature(manifest)("customer_id"); // false (data.key)
 */
export function isFeature(manifest: Manifest): (column: string) => boolean {
  const monitoring = manifest.monitoring;
  const notFeatures = new Set(
    [
      manifest.data?.key,
      manifest.evaluation?.label,
      manifest.evaluation?.weight,
      monitoring?.outcome,
      monitoring?.id,
      monitoring?.score,
      ...(monitoring?.probabilities ?? []),
    ].filter((c): c is string => c !== undefined),
  );
  const inputs = manifest.artefact.inputs;
  const declared = inputs === "auto" ? null : new Set(Object.values(inputs).flat());
  const identifiers = new Set([manifest.data?.key, monitoring?.id]);
  return (column) => (declared ? declared.has(column) && !identifiers.has(column) : !notFeatures.has(column));
}
