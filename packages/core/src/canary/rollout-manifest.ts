import type { Manifest } from "../manifest/schema.js";
import type { Rollout } from "../manifest/schema-rollout.js";

/** `rollout.json`, the small release asset serving stacks read next to the alias and deployment. */
export interface RolloutFile {
  schema: "gauntlet/rollout@1";
  model: string;
  version: string;
  /** Every stage in order, with its alias tag, environment and traffic share. */
  stages: { stage: string; alias: string; environment: string; traffic: number }[];
}

/**
 * The `rollout.json` of a version: its stages in order, each with the alias tag to read, the
 * deployment environment and the share of traffic the version serves there.
 *
 * @example
 * rolloutFile(manifest, manifest.rollout).stages[0];
 * // { stage: "canary", alias: "churn/canary", environment: "churn/canary", traffic: 0.05 }
 */
export function rolloutFile(manifest: Manifest, rollout: Rollout): RolloutFile {
  return {
    schema: "gauntlet/rollout@1",
    model: manifest.name,
    version: manifest.version,
    stages: rollout.stages.map((s) => ({
      stage: s.stage,
      alias: `${manifest.name}/${s.stage}`,
      environment: `${manifest.name}/${s.stage}`,
      traffic: s.traffic,
    })),
  };
}

/**
 * The payload of a deployment to a rollout stage: what a router needs to split traffic.
 *
 * @example
 * stagePayload("churn", "1.4.0", { stage: "canary", traffic: 0.05 });
 * // { gauntlet: "rollout", model: "churn", version: "1.4.0", stage: "canary", traffic: 0.05 }
 */
export function stagePayload(
  model: string,
  version: string,
  stage: { stage: string; traffic: number },
): Record<string, unknown> {
  return { gauntlet: "rollout", model, version, stage: stage.stage, traffic: stage.traffic };
}
