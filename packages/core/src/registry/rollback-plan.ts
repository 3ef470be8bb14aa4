import { inputRef } from "../errors/input-ref.js";
import { UserError } from "../errors/user-error.js";
import { escapeMarkdown } from "../report/escape.js";
import { compareVersions } from "./compare-versions.js";
import { latestOf, versionAt } from "./promotion-plan.js";
import { aliasTag, environmentName } from "./registry-names.js";
import type { RegistryOperation, RegistryPlan } from "./registry-operation.js";
import type { RegistryState } from "./registry-state.js";

/** What {@link planRollback} decides from. */
export interface RollbackPlanInput {
  model: string;
  stage: string;
  manifestFile: string;
  /** The registry as read; `deployments` are those at the target's commit (see {@link rollbackTarget}). */
  state: RegistryState;
  /** Roll back (or forward) to this released version instead of the previous one. */
  to?: string | undefined;
  /** The workflow run: a re-run of the same run resumes its rollback instead of rolling back further. */
  runId: number;
  runUrl: string;
  actor: string;
  now: Date;
}

const MARKER = /<!-- gauntlet:rollback run=(\d+) stage=(\S+) from=(\S+) to=(\S+) -->/g;

/**
 * The version a rollback goes to and the one it leaves: `to` when given, the run's own earlier
 * attempt when a release carries its marker, otherwise the highest released version below the
 * one the alias points at. Only versions with a release qualify: nothing is rebuilt.
 *
 * @example
 * rollbackTarget({ model: "churn", stage: "production", state, runId: 42, ... });
 * // { from: "2.0.0", to: { version: "1.0.0", tag: "churn/v1.0.0", commit: "1a2b…" } }
 */
export function rollbackTarget(input: Omit<RollbackPlanInput, "runUrl" | "actor" | "now">) {
  const { model, stage, state } = input;
  const alias = aliasTag(model, stage);
  const released = state.tags.filter((t) => state.releases.some((r) => r.tag === t.tag));
  const where = { file: input.manifestFile };
  const list = released.map((t) => t.version).join(", ") || "none";
  for (const release of state.releases) {
    for (const m of release.body.matchAll(MARKER)) {
      if (Number(m[1]) !== input.runId || m[2] !== stage) continue;
      const resumed = released.find((t) => t.version === m[4]);
      if (resumed) return { from: m[3]!, to: resumed };
    }
  }
  if (!state.alias) {
    throw new UserError(`nothing to roll back: the alias ${alias} does not exist`, {
      ...where,
      fix: `promote a version to ${stage} first, or check ${inputRef("stage")}`,
    });
  }
  const from = versionAt(state.tags, state.alias.commit) ?? state.alias.commit.slice(0, 7);
  if (input.to !== undefined) {
    const target = released.find((t) => t.version === input.to!.replace(/^v/, ""));
    if (!target) {
      throw new UserError(`version ${input.to} of ${model} has no release to roll back to`, {
        field: "to",
        fix: `set to: to a released version (released: ${list})`,
      });
    }
    return { from, to: target };
  }
  const current = versionAt(state.tags, state.alias.commit);
  const earlier =
    current === undefined ? [] : released.filter((t) => compareVersions(t.version, current) < 0);
  const target = latestOf(earlier);
  if (!target) {
    throw new UserError(`no released version of ${model} comes before ${from}, the one ${alias} points at`, {
      field: "to",
      fix: `pass to: with a released version (released: ${list})`,
    });
  }
  return { from, to: target };
}

/**
 * Plans a rollback: a note on the release being left (carrying a marker so a re-run of the same
 * run resumes rather than rolling back twice), the alias moved back (forced: it is not a
 * fast-forward), and a new deployment with status success. Nothing is rebuilt or re-uploaded.
 *
 * @example
 * planRollback({ model: "churn", stage: "production", manifestFile, state, runId: 42, runUrl, actor: "octocat", now });
 * // operations: note-release churn/v2.0.0, move-alias churn/production → v1.0.0's commit, create-deployment
 */
export function planRollback(input: RollbackPlanInput): RegistryPlan {
  const { model, stage, state } = input;
  const { from, to } = rollbackTarget(input);
  const alias = aliasTag(model, stage);
  const environment = environmentName(model, stage);
  const operations: RegistryOperation[] = [];
  const kept: string[] = [];
  const marker = `<!-- gauntlet:rollback run=${input.runId} stage=${stage} from=${from} to=${to.version} -->`;
  const left = state.releases.find((r) => r.tag === `${model}/v${from}`);
  if (left && !left.body.includes(marker)) {
    const day = input.now.toISOString().slice(0, 10);
    const note = `Rolled back on ${day}: ${alias} moved from v${from} to v${to.version} by ${escapeMarkdown(input.actor)} ([workflow run](${input.runUrl})).`;
    operations.push({ kind: "note-release", tag: left.tag, marker, note });
  } else if (left) kept.push(`release ${left.tag} notes this rollback`);
  if (state.alias?.commit === to.commit) kept.push(`alias ${alias} points at ${to.tag}`);
  else
    operations.push({
      kind: "move-alias",
      tag: alias,
      from: state.alias?.commit ?? null,
      to: to.commit,
      force: true,
    });
  const description = `${model} rolled back from ${from} to ${to.version} on ${stage}`;
  if (state.deployments.some((d) => d.commit === to.commit && d.states.at(-1) === "success")) {
    kept.push(`the latest deployment to ${environment} is ${to.tag}`);
  } else
    operations.push({ kind: "create-deployment", environment, ref: to.tag, commit: to.commit, description });
  return { model, version: to.version, commit: to.commit, operations, kept };
}
