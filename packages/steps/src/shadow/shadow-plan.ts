import type { ColumnKind, Manifest, SliceSpec } from "@gauntlet/core";
import { nestedUnder, nestingObject, specColumns, UserError } from "@gauntlet/core";

/** Fields of the log that shadow-compare reads, as named in the manifest or the step's inputs. */
export interface ShadowFields {
  id: string;
  /** One field, or (multiclass) the per-class probability fields in `artefact.classes` order. */
  champion: string | readonly string[];
  challenger?: string | readonly string[] | undefined;
  championLatency?: string | undefined;
  challengerLatency?: string | undefined;
  version?: string | undefined;
  outcome?: string | undefined;
  /** `shadow.weight`: each request's sample weight, for the outcome metrics. */
  weight?: string | undefined;
}

/** Which logged columns feed what: the result of checking the log's columns against the models. */
export interface ShadowPlan {
  fields: ShadowFields;
  /** Logged column → plain name the models and slices use (`inputs.age` → `age`). */
  features: Map<string, string>;
  /** Plain name → kind, for the signature check. */
  kinds: Map<string, ColumnKind>;
  /** Every logged column to read. */
  columns: string[];
  specs: SliceSpec[];
}

/** What {@link planShadowColumns} checks. */
export interface PlanInput {
  manifest: Manifest;
  manifestFile: string;
  log: string;
  /** The log's columns and kinds (union over its files). */
  schema: ReadonlyMap<string, ColumnKind>;
  fields: ShadowFields;
  /** Columns the models need (plain names). */
  modelColumns: readonly string[];
  specs: readonly SliceSpec[];
}

/**
 * Lines the log up with the models: every model input column must be logged (under `features.`
 * when `shadow.features` is set, else at the top level), as must the id and champion score; the
 * optional fields must exist when named. Columns the models do not know are left unread. All
 * missing columns are listed in one {@link UserError} naming the log, so one fix covers them.
 *
 * @example
 * planShadowColumns({ manifest, manifestFile, log: "logs/shadow.jsonl", schema, fields, modelColumns: ["age"], specs: ["region"] });
 * // { features: Map { "inputs.age" => "age", "inputs.region" => "region" }, columns: ["request_id", "score", "inputs.age", ...], ... }
 */
export function planShadowColumns(input: PlanInput): ShadowPlan {
  const prefix = input.manifest.shadow?.features;
  const logged = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const features = new Map<string, string>();
  const kinds = new Map<string, ColumnKind>();
  const missing: string[] = [];
  for (const column of input.modelColumns) {
    const name = logged(column);
    const kind = input.schema.get(name);
    if (kind === undefined) missing.push(name);
    else {
      features.set(name, column);
      kinds.set(column, kind);
    }
  }
  if (missing.length > 0) {
    // Nested JSON is read as dotted columns: the inputs may all sit under one object.
    const plain = input.modelColumns.filter((column) => missing.includes(logged(column)));
    const holder = nestingObject(plain, input.schema.keys());
    const generic = prefix
      ? `log every model input under ${prefix}.<column>, or point shadow.features at the object that holds them`
      : "log every model input as a column, or set shadow.features to the nested object that holds them";
    throw new UserError(
      `the log ${input.log} lacks ${missing.length === 1 ? "the column" : "the columns"} ${missing.join(", ")} that the model needs; it has ${[...input.schema.keys()].slice(0, 30).join(", ")}`,
      {
        file: input.manifestFile,
        field: prefix || holder ? "shadow.features" : "shadow.log",
        fix: holder
          ? `the log nests them under "${holder}" (e.g. ${holder}.${plain[0]})${prefix ? `, not "${prefix}"` : ""}: set shadow.features: ${holder}`
          : generic,
      },
    );
  }
  const named = Object.entries(input.fields).flatMap(([role, value]): [string, string][] =>
    typeof value === "string"
      ? [[role, value]]
      : Array.isArray(value)
        ? value.map((name) => [role, name])
        : [],
  );
  for (const [role, name] of named) {
    if (input.schema.has(name)) continue;
    const field = ["id", "champion", "challenger", "weight"].includes(role) ? `shadow.${role}` : role;
    const inside = nestedUnder(name, input.schema.keys());
    if (inside.length > 0) {
      throw new UserError(
        `the log ${input.log} has no column ${JSON.stringify(name)} (${role}): it is a nested object there, read as ${inside.join(", ")}`,
        {
          file: input.manifestFile,
          field,
          fix: `name the value inside it by its dotted name, e.g. ${field.split(".").at(-1)}: ${inside[0]}`,
        },
      );
    }
    throw new UserError(`the log ${input.log} has no column ${JSON.stringify(name)} (${role})`, {
      file: input.manifestFile,
      field,
      fix: `name the log's ${role} field (its columns are ${[...input.schema.keys()].slice(0, 30).join(", ")})`,
    });
  }
  // Slice columns are features when logged as such, else top-level fields of the log.
  input.specs.forEach((spec, s) => {
    for (const column of specColumns(spec)) {
      if ([...features.values()].includes(column)) continue;
      const name = prefix && input.schema.has(logged(column)) ? logged(column) : column;
      if (!input.schema.has(name)) {
        throw new UserError(`the slice column ${JSON.stringify(column)} is not in the log ${input.log}`, {
          file: input.manifestFile,
          field: input.manifest.shadow?.slices ? `shadow.slices[${s}]` : `evaluation.slices[${s}]`,
          fix: "slice the shadow comparison by columns the log has (set shadow.slices)",
        });
      }
      features.set(name, column);
    }
  });
  const columns = [...new Set([...named.map(([, name]) => name), ...features.keys()])];
  return { fields: input.fields, features, kinds, columns, specs: [...input.specs] };
}
