import {
  aliasTag,
  environmentName,
  FINAL_STAGE,
  planPromotion,
  type RegistryPlan,
  type ReleaseState,
  type Rollout,
  stagePayload,
  UserError,
  type VersionTagState,
  versionAt,
  versionTag,
} from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";
import { applyFreshPlan } from "./apply-fresh-plan.js";
import type { RegistryRunOptions } from "./promote-model.js";
import { readAlias, readDeployments, readRegistryState } from "./read-registry.js";
import { rollbackModel } from "./rollback-model.js";

/** The model whose rollout canary-check watches. */
export interface CanaryTarget {
  owner: string;
  repo: string;
  model: string;
  /** The version being rolled out: the manifest's. */
  version: string;
  manifestFile: string;
  rollout: Rollout;
}

/** Where the version's rollout stands in the registry. */
export type CanaryPosition =
  | { kind: "not-rolling-out"; reason: string }
  | { kind: "complete"; candidate: VersionTagState }
  | {
      kind: "at-stage";
      stage: string;
      /** Every stage whose alias points at the version (the one it is at, and those before). */
      stages: string[];
      /** When the stage's first successful deployment of the version was created (ms). */
      since: number;
      candidate: VersionTagState;
      incumbent: VersionTagState;
      releases: ReleaseState[];
      /** The rollout's aliases and newest deployments as this check read them at its start. */
      snapshot: RolloutSnapshot;
    };

/** Every stage's alias commit and the newest deployment to its environment, at one moment. */
export interface RolloutSnapshot {
  /** Stage → the commit its alias points at (`null`: no alias). */
  aliases: Record<string, string | null>;
  /** Stage → id of the newest deployment to `<name>/<stage>` (`null`: none). */
  deployments: Record<string, number | null>;
}

/**
 * Reads the rollout's moving parts — each stage's alias and the newest deployment to each
 * stage's environment — so a check can tell whether anything moved between its start and its
 * write (see {@link verifyCanaryPosition}).
 *
 * @example
 * await readRolloutSnapshot(client, target);
 * // { aliases: { canary: "9f8e…", production: "1a2b…" }, deployments: { canary: 12, production: 7 } }
 */
export async function readRolloutSnapshot(
  client: GitHubClient,
  target: CanaryTarget,
): Promise<RolloutSnapshot> {
  const { owner, repo, model } = target;
  const snapshot: RolloutSnapshot = { aliases: {}, deployments: {} };
  for (const { stage } of target.rollout.stages) {
    snapshot.aliases[stage] = (await readAlias(client, { owner, repo, model, stage }))?.commit ?? null;
    const environment = environmentName(model, stage);
    const need = { action: `read deployments to ${environment}`, permission: "deployments: read" };
    // Newest first: one page of one is the latest deployment, whatever its status.
    const { data } = await withPermission(need, () =>
      client.rest.repos.listDeployments({ owner, repo, environment, per_page: 1 }),
    );
    snapshot.deployments[stage] = data[0]?.id ?? null;
  }
  return snapshot;
}

/**
 * Re-reads the rollout right before a check writes (moves an alias, records a deployment, opens
 * the issue) and throws a {@link UserError} naming what changed when anything moved since the
 * check started: its verdict was decided on a registry that is no longer there, so it writes
 * nothing and the next run decides afresh. GitHub has no compare-and-set for tags or
 * deployments, so a run that moves in the moments between this read and the write is not seen
 * here (the alias itself is still re-checked by the move, see moveAlias); the workflow's
 * concurrency group is what keeps two checks from overlapping at all.
 *
 * @example
 * await verifyCanaryPosition(client, target, position); // resolves: nothing moved
 * // or throws: "churn/half moved from nothing to 9f8e1c2 since this check started …"
 */
export async function verifyCanaryPosition(
  client: GitHubClient,
  target: CanaryTarget,
  position: Extract<CanaryPosition, { kind: "at-stage" }>,
): Promise<void> {
  const now = await readRolloutSnapshot(client, target);
  const before = position.snapshot;
  const changes: string[] = [];
  for (const { stage } of target.rollout.stages) {
    const was = before.aliases[stage] ?? null;
    const is = now.aliases[stage] ?? null;
    if (was !== is)
      changes.push(`alias ${aliasTag(target.model, stage)} moved from ${short(was)} to ${short(is)}`);
    const wasDeployment = before.deployments[stage] ?? null;
    const isDeployment = now.deployments[stage] ?? null;
    if (wasDeployment !== isDeployment) {
      changes.push(
        `a deployment to ${environmentName(target.model, stage)} was recorded (#${isDeployment}, newest was ${wasDeployment === null ? "none" : `#${wasDeployment}`})`,
      );
    }
  }
  if (changes.length === 0) return;
  throw new UserError(
    `the rollout of ${target.model} ${target.version} changed since this check started: ${changes.join("; ")}. Another canary-check, promote or a person moved it, so this check's verdict is stale: nothing was written, and the next run decides on the new state`,
    {
      file: target.manifestFile,
      field: "rollout",
      fix: "re-run the check; run canary-check in one concurrency group (concurrency: { group: model-canary, cancel-in-progress: false }, as the example canary.yml does) so checks never overlap",
    },
  );
}

const short = (commit: string | null): string => (commit === null ? "nothing" : commit.slice(0, 7));

/**
 * Reads where the manifest's version stands: the last stage whose alias points at its tag's
 * commit, the version production serves (the incumbent) and when the stage began (its
 * deployment). `complete` once production serves it; `not-rolling-out` when no stage alias
 * points at it (never released to a stage, or rolled back).
 *
 * @example
 * const position = await readCanaryPosition(client, { owner, repo, model: "churn", version: "1.4.0", manifestFile, rollout });
 * position.kind === "at-stage" && position.stage; // "canary"
 */
export async function readCanaryPosition(
  client: GitHubClient,
  target: CanaryTarget,
): Promise<CanaryPosition> {
  const { owner, repo, model, version } = target;
  const state = await readRegistryState(client, { owner, repo, model, stage: FINAL_STAGE });
  const tag = versionTag(model, version);
  const candidate = state.tags.find((t) => t.tag === tag);
  if (!candidate) {
    return {
      kind: "not-rolling-out",
      reason: `${tag} does not exist: promote releases a merged version to ${target.rollout.stages[0]!.stage} first`,
    };
  }
  if (state.alias?.commit === candidate.commit) return { kind: "complete", candidate };
  const snapshot = await readRolloutSnapshot(client, target);
  const stages = target.rollout.stages
    .slice(0, -1)
    .map((s) => s.stage)
    .filter((stage) => snapshot.aliases[stage] === candidate.commit);
  const stage = stages.at(-1);
  if (stage === undefined) {
    return {
      kind: "not-rolling-out",
      reason: `no stage alias of ${model} points at ${tag} (not released to a stage, or rolled back)`,
    };
  }
  const incumbentVersion = state.alias ? versionAt(state.tags, state.alias.commit) : undefined;
  const incumbent = state.tags.find((t) => t.version === incumbentVersion);
  if (!incumbent) {
    throw new UserError(
      `${model}/${FINAL_STAGE} points at no released version, so ${version} has nothing to be compared with`,
      {
        file: target.manifestFile,
        field: "rollout",
        fix: `release a first version straight to ${FINAL_STAGE} (promote with stage: ${FINAL_STAGE}), then roll out the next one`,
      },
    );
  }
  const environment = environmentName(model, stage);
  const deployments = await readDeployments(client, { owner, repo, environment, commit: candidate.commit });
  const started = deployments
    .filter((d) => d.states.includes("success") && d.createdAt !== undefined)
    .map((d) => Date.parse(d.createdAt!));
  if (started.length === 0) {
    throw new UserError(
      `${tag} has no successful deployment to ${environment}, so when ${stage} began is unknown`,
      {
        file: target.manifestFile,
        field: "rollout.stages",
        fix: `re-run promote for the merge of ${version}: it records the deployment to ${environment}`,
      },
    );
  }
  return {
    kind: "at-stage",
    stage,
    stages,
    since: Math.min(...started),
    candidate,
    incumbent,
    releases: state.releases,
    snapshot,
  };
}

/**
 * Moves the version to the stage after `stage`: its alias (verified before it moves: when
 * another run moved it in between, the registry is read again and the move re-planned) and a
 * deployment whose payload carries the new share. Re-running it writes nothing new.
 *
 * @example
 * const plan = await expandCanary(client, target, "canary", { runUrl, log: console.log });
 * describePlan(plan); // "+ move alias churn/production … + create deployment … (payload {…traffic: 1})"
 */
export async function expandCanary(
  client: GitHubClient,
  target: CanaryTarget,
  stage: string,
  options: RegistryRunOptions,
): Promise<RegistryPlan> {
  const { owner, repo, model, version, rollout } = target;
  const next = rollout.stages[rollout.stages.findIndex((s) => s.stage === stage) + 1]!;
  return applyFreshPlan(client, { owner, repo }, options, async () => {
    const base = await readRegistryState(client, { owner, repo, model, stage: next.stage });
    const commit = base.tags.find((t) => t.version === version)!.commit;
    const environment = environmentName(model, next.stage);
    const deployments = await readDeployments(client, { owner, repo, environment, commit });
    const plan = planPromotion({
      model,
      version,
      commit,
      stage: next.stage,
      manifestFile: target.manifestFile,
      state: { ...base, deployments },
      card: "",
      assets: [],
      artefactName: "",
      payload: stagePayload(model, version, next),
    });
    return { plan, releases: base.releases };
  });
}

/**
 * Rolls the version back to the incumbent in one step on every stage whose alias points at it,
 * with promote's rollback (a note on the release, the alias forced back, a deployment). A
 * rollback target without a release any more is a {@link UserError}: nothing is moved.
 *
 * @example
 * const plans = await rollbackCanary(client, target, position, { runId, actor, now, runUrl, log });
 * plans[0].version; // "1.3.0"
 */
export async function rollbackCanary(
  client: GitHubClient,
  target: CanaryTarget,
  position: Extract<CanaryPosition, { kind: "at-stage" }>,
  run: RegistryRunOptions & { runId: number; actor: string; now: Date },
): Promise<RegistryPlan[]> {
  const { incumbent } = position;
  if (!position.releases.some((r) => r.tag === incumbent.tag)) {
    throw new UserError(
      `cannot roll ${target.model} back to ${incumbent.version}: release ${incumbent.tag} no longer exists`,
      {
        file: target.manifestFile,
        field: "rollout",
        fix: `restore the release ${incumbent.tag} (or move ${target.model}/${position.stage} by hand with promote rollback: true and to:)`,
      },
    );
  }
  const plans: RegistryPlan[] = [];
  for (const stage of [...position.stages].reverse()) {
    const request = {
      owner: target.owner,
      repo: target.repo,
      model: target.model,
      manifestFile: target.manifestFile,
      stage,
      to: incumbent.version,
      runId: run.runId,
      actor: run.actor,
      now: run.now,
    };
    plans.push(await rollbackModel(client, request, run));
  }
  return plans;
}
