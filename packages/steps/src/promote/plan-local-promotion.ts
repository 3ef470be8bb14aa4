import {
  planPromotion,
  type RegistryFile,
  type RegistryPlan,
  registryStateOf,
  renderModelCard,
  UserError,
} from "@gauntlet/core";
import type { PreparedPromotion } from "./prepare-promotion.js";

/** What {@link planLocalPromotion} needs besides the prepared version. */
export interface LocalPromotionOptions {
  /** The registry as described in a file, instead of as read from the GitHub API. */
  registry: RegistryFile;
  /** The commit that would be tagged (the merge commit, on GitHub). */
  commit: string;
  stage: string;
  /** Refuse, as promote would, when `gate.json` is missing or failed. */
  requireGate: boolean;
  /** Where `gate.json` was looked for, for the messages. */
  gateFile: string;
}

/** The plan and the model card (the release body) it would publish. */
export interface LocalPromotion {
  plan: RegistryPlan;
  card: string;
}

/** Gate statuses a local plan accepts: approvals come from pull request reviews, never checked locally. */
const ACCEPTED = new Set(["pass", "pending"]);

/**
 * Why promote would refuse this version on the strength of its local `gate.json`, or `undefined`
 * when the gate's rules passed. On GitHub, promote requires the `gauntlet/<model>` check run to
 * have passed on the merged pull request (rules and approvals); locally there is only the result
 * file, whose approvals are at best `pending`, so `pass` and `pending` are both accepted.
 *
 * @example
 * localGateRefusal(prepared, ".gauntlet/churn/gate.json")?.problem;
 * // "the gate failed for churn 1.3.0: 1 of 47 gate checks failed: roc_auc 0.6974 < 0.7 slice tenure_months=[12, 24)"
 */
export function localGateRefusal(prepared: PreparedPromotion, gateFile: string): UserError | undefined {
  const { manifest, manifestFile, gate } = prepared;
  const skip = "or plan without the gate (`--no-gate`, as `require-gate: false`)";
  if (!gate) {
    return new UserError(`there is no gate result for ${manifest.name} ${manifest.version} (${gateFile})`, {
      file: manifestFile,
      fix: `run \`gauntlet gate\` with the same --results-dir first, ${skip}`,
    });
  }
  if (ACCEPTED.has(gate.status)) return undefined;
  const reason = gate.reasons[0] ?? `gate.json says ${gate.status}`;
  return new UserError(
    `the gate ${gate.status === "fail" ? "failed" : `is ${gate.status}`} for ${manifest.name} ${manifest.version}: ${reason}`,
    {
      file: gateFile,
      field: "status",
      fix: `fix what the gate reports and run it again, ${skip}`,
    },
  );
}

/**
 * Plans a promotion against a described registry instead of the GitHub API: the same checks and
 * the same plan as the promote action's dry run, except that the gate is judged on `gate.json`
 * ({@link localGateRefusal}) rather than on the merged pull request's check run and reviews.
 * Throws the refusal when the gate is required and did not pass.
 *
 * @example
 * const { plan } = planLocalPromotion(prepared, { registry, commit, stage: "production", requireGate: true, gateFile });
 * describePlan(plan); // "churn 1.3.0 at 9f8e7d6:\n  + create annotated tag churn/v1.3.0 at 9f8e7d6\n  ..."
 */
export function planLocalPromotion(
  prepared: PreparedPromotion,
  options: LocalPromotionOptions,
): LocalPromotion {
  const { manifest, manifestFile, artefact } = prepared;
  if (options.requireGate) {
    const refusal = localGateRefusal(prepared, options.gateFile);
    if (refusal) throw refusal;
  }
  const card = renderModelCard({
    manifest,
    commit: options.commit,
    artefact,
    evaluation: prepared.evaluation,
    gate: prepared.gate,
    verdict: null,
    gateCheckedLocally: options.requireGate,
    profile: prepared.profile,
  });
  const state = registryStateOf(options.registry, {
    model: manifest.name,
    stage: options.stage,
    commit: options.commit,
  });
  const plan = planPromotion({
    model: manifest.name,
    version: manifest.version,
    commit: options.commit,
    stage: options.stage,
    manifestFile,
    state,
    card,
    assets: prepared.assets,
    artefactName: artefact.name,
  });
  return { plan, card };
}
