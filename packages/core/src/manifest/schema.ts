import * as z from "zod";
import { SEMVER } from "../registry/compare-versions.js";
import { artefactSchema, provenanceSchema } from "./schema-artefact.js";
import { behaviourSchema } from "./schema-behaviour.js";
import { dataContractSchema } from "./schema-data.js";
import { evaluationSchema } from "./schema-evaluation.js";
import { gateSchema } from "./schema-gate.js";
import { githubPrincipal, strictObject, withFix } from "./schema-helpers.js";
import { monitoringSchema } from "./schema-operations.js";
import { rolloutSchema } from "./schema-rollout.js";
import { shadowSchema } from "./schema-shadow.js";

/** `1.3` -> `1.3.0`, `2` -> `2.0.0`: the version a number was evidently meant to be. */
function asSemver(version: number): string {
  const parts = String(version).split(".");
  while (parts.length < 3) parts.push("0");
  return parts.join(".");
}

/**
 * The zod schema of `models/<name>/model.yml`. Keys are exactly the YAML keys (kebab-case), so a
 * field is spelled the same in the file, in error messages, in the JSON Schema, in the reference
 * and in code (`manifest.data["max-null-fraction"]`). Rules that relate fields to each other
 * (positive class among classes, metrics suiting the task, ...) live in `manifestRules`.
 *
 * @example
 * manifestSchema.safeParse({ name: "churn" }).success; // false: version, task, ... are missing
 */
export const manifestSchema = strictObject({
  name: z
    .string()
    .regex(
      /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
      withFix("expected lowercase letters, digits and dashes", "rename it, e.g. churn or churn-v2"),
    )
    .describe(
      "Model name, `[a-z0-9-]+`, unique in the repository; used in tags and result paths. It must equal the manifest's folder (`models/<name>/model.yml`): every step, the registry and the example workflows find a model there, and one folder holds one manifest.",
    ),
  version: z
    .string({
      // YAML reads `version: 1.3` as the number 1.3, which no release tag can hold.
      error: (issue) =>
        issue.code === "invalid_type" && typeof issue.input === "number"
          ? withFix(
              "a version must be semver x.y.z text",
              `write three numbers in quotes, e.g. version: "${asSemver(issue.input)}"`,
            )
          : undefined,
    })
    .regex(SEMVER, withFix("expected a semver version such as 1.3.0", "write MAJOR.MINOR.PATCH, e.g. 1.3.0"))
    .describe("Semantic version; a merged increase is promoted."),
  task: z.enum(["binary", "multiclass", "regression"]).describe("What the model predicts."),
  owner: githubPrincipal.describe("User or team responsible; drift issues are assigned to / mention it."),
  description: z.string().optional().describe("One line about the model, shown in the model card."),
  artefact: artefactSchema,
  provenance: provenanceSchema.optional(),
  limitations: z
    .array(z.string().min(1))
    .default([])
    .describe("Known limitations, listed in the model card."),
  data: dataContractSchema.optional(),
  evaluation: evaluationSchema.optional(),
  gate: gateSchema.optional(),
  shadow: shadowSchema.optional(),
  monitoring: monitoringSchema.optional(),
  behaviour: behaviourSchema.optional(),
  rollout: rolloutSchema.optional(),
}).describe(
  "A model registered with gauntlet: models/<name>/model.yml, at most 1 MiB. Every path in it (data, artefact, logs, references, offline features) is relative to the repository root and must stay inside it: `..`, absolute paths elsewhere, links leading out and devices or pipes are refused.",
);

/**
 * A parsed, valid manifest with defaults filled in. Keys are the YAML keys (see
 * {@link manifestSchema}).
 *
 * @example
 * const m: Manifest = parseManifest(text, "models/churn/model.yml");
 * m.evaluation?.["min-slice-size"]; // 30 unless the file says otherwise
 */
export type Manifest = z.output<typeof manifestSchema>;

/** A manifest as written in YAML, before defaults are filled in. */
export type ManifestInput = z.input<typeof manifestSchema>;

/** The `data:` contract of a manifest. */
export type DataContract = NonNullable<Manifest["data"]>;

/** One declared column of a data contract. */
export type ColumnContract = DataContract["columns"][string];

/** One entry of `evaluation.slices`. */
export type SliceSpec = NonNullable<Manifest["evaluation"]>["slices"][number];

/** One entry of `gate.rules`. */
export type GateRule = NonNullable<Manifest["gate"]>["rules"][number];
