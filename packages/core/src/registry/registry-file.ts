import * as z from "zod";
import { aliasTag, environmentName, versionOfTag } from "./registry-names.js";
import type { RegistryState } from "./registry-state.js";

/**
 * The schema tag of a registry description file.
 *
 * @example
 * REGISTRY_FILE_SCHEMA; // "gauntlet/registry@1"
 */
export const REGISTRY_FILE_SCHEMA = "gauntlet/registry@1";

const commit = z.string().regex(/^[0-9a-f]{40}$/, "expected a 40-character lowercase hex commit SHA");

/**
 * A repository's registry written down as JSON, for planning a promotion or rollback without the
 * GitHub API (`gauntlet promote --dry-run --registry <file>`, `gauntlet demo`): version tags and
 * the commits they point at, releases with their asset names and sizes, alias tags, and
 * deployments per environment. `{"schema": "gauntlet/registry@1"}` is an empty registry.
 *
 * @example
 * registryFileSchema.parse({
 *   schema: "gauntlet/registry@1",
 *   tags: [{ tag: "churn/v1.2.0", commit: "1a2b…" }],
 *   releases: [{ tag: "churn/v1.2.0", assets: [{ name: "model.onnx", size: 1623 }] }],
 *   aliases: { "churn/production": "1a2b…" },
 *   deployments: [{ environment: "churn/production", commit: "1a2b…", states: ["success"] }],
 * });
 */
export const registryFileSchema = z
  .object({
    schema: z.literal(REGISTRY_FILE_SCHEMA),
    /** Free text for the reader: where this description came from. */
    description: z.string().optional(),
    tags: z.array(z.object({ tag: z.string().min(1), commit }).strict()).default([]),
    releases: z
      .array(
        z
          .object({
            tag: z.string().min(1),
            name: z.string().optional(),
            body: z.string().default(""),
            assets: z
              .array(z.object({ name: z.string().min(1), size: z.number().int().nonnegative() }).strict())
              .default([]),
          })
          .strict(),
      )
      .default([]),
    /** Alias tag (`<model>/<stage>`) → the commit it points at. */
    aliases: z.record(z.string(), commit).default({}),
    deployments: z
      .array(
        z
          .object({
            environment: z.string().min(1),
            commit,
            /** Statuses oldest first, e.g. `["success"]` or `["success", "inactive"]`. */
            states: z.array(z.string()).default(["success"]),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

/** A parsed registry description file. */
export type RegistryFile = z.output<typeof registryFileSchema>;

/**
 * The registry state of one model and stage in a registry description, as the GitHub reader would
 * return it: the model's version tags, its releases, the stage's alias, and the deployments to the
 * stage's environment at `commit`, newest first. Releases and deployments get ids by position.
 *
 * @example
 * registryStateOf(file, { model: "churn", stage: "production", commit: "9f8e…" });
 * // { tags: [{ version: "1.2.0", tag: "churn/v1.2.0", commit: "1a2b…" }], releases: [...],
 * //   alias: { tag: "churn/production", commit: "1a2b…" }, deployments: [] }
 */
export function registryStateOf(
  file: RegistryFile,
  target: { model: string; stage: string; commit: string },
): RegistryState {
  const { model, stage } = target;
  const tags = file.tags.flatMap(({ tag, commit }) => {
    const version = versionOfTag(model, tag);
    return version === undefined ? [] : [{ version, tag, commit }];
  });
  const releases = file.releases.flatMap((release, index) =>
    versionOfTag(model, release.tag) === undefined
      ? []
      : [
          {
            id: index + 1,
            tag: release.tag,
            name: release.name ?? release.tag,
            body: release.body,
            uploadUrl: "",
            assets: release.assets.map((a) => ({ ...a })),
          },
        ],
  );
  const alias = aliasTag(model, stage);
  const aliasCommit = file.aliases[alias];
  const environment = environmentName(model, stage);
  const deployments = file.deployments
    .map((d, index) => ({
      id: index + 1,
      commit: d.commit,
      states: [...d.states],
      environment: d.environment,
    }))
    .filter((d) => d.environment === environment && d.commit === target.commit)
    .reverse()
    .map(({ id, commit, states }) => ({ id, commit, states }));
  return {
    tags,
    releases,
    alias: aliasCommit === undefined ? null : { tag: alias, commit: aliasCommit },
    deployments,
  };
}
