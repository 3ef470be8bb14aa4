import { environmentName, planRollback, type RegistryPlan, rollbackTarget } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { applyFreshPlan } from "./apply-fresh-plan.js";
import type { RegistryRunOptions } from "./promote-model.js";
import { readDeployments, readRegistryState } from "./read-registry.js";

/** Which model and stage to roll back, and the run doing it. */
export interface RollbackRequest {
  owner: string;
  repo: string;
  model: string;
  manifestFile: string;
  stage: string;
  /** A released version to go to instead of the previous one. */
  to?: string | undefined;
  runId: number;
  actor: string;
  now: Date;
}

/**
 * Rolls a stage back to the previous released version (or `to`): notes it on the release being
 * left, moves the alias back and records a deployment. Nothing is rebuilt or uploaded.
 *
 * @example
 * const plan = await rollbackModel(client, { owner, repo, model: "churn", manifestFile, stage: "production",
 *   runId: 42, actor: "octocat", now: new Date() }, { runUrl, log: core.info });
 * plan.version; // "1.0.0"
 */
export async function rollbackModel(
  client: GitHubClient,
  request: RollbackRequest,
  options: RegistryRunOptions,
): Promise<RegistryPlan> {
  const { owner, repo, model, stage } = request;
  return applyFreshPlan(client, { owner, repo }, options, async () => {
    const base = await readRegistryState(client, { owner, repo, model, stage });
    const { to } = rollbackTarget({ ...request, state: { ...base, deployments: [] } });
    const environment = environmentName(model, stage);
    const deployments = await readDeployments(client, { owner, repo, environment, commit: to.commit });
    const plan = planRollback({ ...request, runUrl: options.runUrl, state: { ...base, deployments } });
    return { plan, releases: base.releases };
  });
}
