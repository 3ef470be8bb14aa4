import {
  type AssetFile,
  type CardEvaluation,
  type CardGate,
  environmentName,
  type GateVerdict,
  type Manifest,
  planPromotion,
  type RegistryPlan,
  type ReleaseState,
  renderModelCard,
} from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { applyFreshPlan } from "./apply-fresh-plan.js";
import { findGateVerdict } from "./gate-verdict.js";
import { readDeployments, readRegistryState } from "./read-registry.js";

/** One model version to promote, with its files already checked on the runner. */
export interface PromotionRequest {
  owner: string;
  repo: string;
  manifest: Manifest;
  manifestFile: string;
  /** The pushed commit to tag. */
  commit: string;
  stage: string;
  /** Check that `gauntlet/<model>` passed on the merged pull request's head before writing anything. */
  requireGate: boolean;
  artefact: { name: string; sha256: string; size: number };
  assets: AssetFile[];
  evaluation?: CardEvaluation | undefined;
  gate?: CardGate | undefined;
  profile: boolean;
  /** Payload of the deployment (a rollout stage's traffic share). */
  payload?: Record<string, unknown> | undefined;
}

/** How a promotion runs. */
export interface RegistryRunOptions {
  runUrl: string;
  log: (line: string) => void;
  /** Plan only: read the registry and the gate, write nothing. */
  dryRun?: boolean;
}

/**
 * Plans a promotion against the registry as it is now: reads tags, releases and deployments,
 * verifies the gate (unless not required), renders the model card and plans what is missing.
 *
 * @example
 * const { plan } = await planModelPromotion(client, request);
 * console.log(describePlan(plan));
 */
export async function planModelPromotion(
  client: GitHubClient,
  request: PromotionRequest,
): Promise<{ plan: RegistryPlan; releases: ReleaseState[]; verdict: GateVerdict | null }> {
  const { owner, repo, manifest, commit, stage } = request;
  const target = { owner, repo, model: manifest.name, stage };
  const base = await readRegistryState(client, target);
  const deployments = await readDeployments(client, {
    owner,
    repo,
    environment: environmentName(manifest.name, stage),
    commit,
  });
  const verdict = request.requireGate
    ? await findGateVerdict(client, {
        owner,
        repo,
        model: manifest.name,
        commit,
        manifestFile: request.manifestFile,
      })
    : null;
  const card = renderModelCard({
    manifest,
    commit,
    artefact: request.artefact,
    evaluation: request.evaluation,
    gate: request.gate,
    verdict,
    profile: request.profile,
    repository: `${owner}/${repo}`,
  });
  const plan = planPromotion({
    model: manifest.name,
    version: manifest.version,
    commit,
    stage,
    manifestFile: request.manifestFile,
    state: { ...base, deployments },
    card,
    assets: request.assets,
    artefactName: request.artefact.name,
    ...(request.payload ? { payload: request.payload } : {}),
  });
  return { plan, releases: base.releases, verdict };
}

/**
 * Promotes one model version: plans, then applies step by step. When another promotion moves
 * the alias in between, the registry is read again and the plan redone, so the alias never ends
 * on the older of two versions. Returns the plan that was applied (or, with `dryRun`, would be).
 *
 * @example
 * const plan = await promoteModel(client, request, { runUrl, log: core.info });
 * plan.operations.length; // 6 on a first release, 0 on a re-run of a completed one
 */
export async function promoteModel(
  client: GitHubClient,
  request: PromotionRequest,
  options: RegistryRunOptions,
): Promise<RegistryPlan> {
  return applyFreshPlan(client, { owner: request.owner, repo: request.repo }, options, () =>
    planModelPromotion(client, request),
  );
}
