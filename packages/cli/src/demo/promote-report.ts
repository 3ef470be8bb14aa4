import { describePlan, escapeMarkdown, type RegistryPlan } from "@gauntlet/core";

/**
 * The schema tag of the demo's `promote.json`: a dry-run plan, which the promote action does not
 * write as a file (it prints it and writes the registry).
 *
 * @example
 * PROMOTE_PLAN_SCHEMA; // "gauntlet/promote-plan@1"
 */
export const PROMOTE_PLAN_SCHEMA = "gauntlet/promote-plan@1";

/** `promote.json`: what promote would do on merge, and whether the gate lets it. */
export interface PromotePlanResult {
  schema: typeof PROMOTE_PLAN_SCHEMA;
  model: { name: string; version: string; sha256: string };
  dryRun: true;
  stage: string;
  /** The registry description planned against, relative to this file's folder. */
  registry: string;
  /** `blocked` when promote would refuse on merge because of the gate; `ready` otherwise. */
  status: "ready" | "blocked";
  /** Why it is blocked; `null` when ready. */
  reason: string | null;
  /** The status in `gate.json`; `null` without one. */
  gate: string | null;
  /** Whether the plan below checked the gate (`false`: planned as with `require-gate: false`, to show it). */
  requireGate: boolean;
  plan: RegistryPlan;
}

/**
 * The Markdown of a dry-run promotion: the verdict, the plan as `gauntlet promote --dry-run`
 * prints it, and where the model card is. Data-derived text (the gate's reason) is escaped.
 *
 * @example
 * renderPromoteReport(result, { registry: "../registry.json", card: "model-card.md" });
 * // "### Promote (dry run)\n\n🛑 **Blocked**: on merge, promote would refuse to release churn v1.3.0: ..."
 */
export function renderPromoteReport(
  result: PromotePlanResult,
  links: { registry: string; card: string },
): string {
  const { name, version } = result.model;
  const release = `${escapeMarkdown(name, 80)} v${escapeMarkdown(version, 40)}`;
  const text = describePlan(result.plan);
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  const verdict =
    result.status === "blocked"
      ? `🛑 **Blocked**: on merge, promote would refuse to release ${release}: ${escapeMarkdown(result.reason ?? "", 600)}`
      : `✅ **Ready**: on merge, promote would release ${release}` +
        (result.gate === "pending"
          ? " once the pull request is approved (`gate.json` is pending: approvals are checked on the pull request, not locally)."
          : ".");
  const planned = result.requireGate
    ? `Planned against the registry described in [registry.json](${links.registry}), stage \`${result.stage}\`:`
    : `Planned anyway, as with \`require-gate: false\`, against the registry described in [registry.json](${links.registry}), stage \`${result.stage}\`: this is what promote would write once the gate passes.`;
  return [
    "### Promote (dry run)",
    "",
    verdict,
    "",
    planned,
    "",
    `${fence}text`,
    text,
    fence,
    "",
    `The release body, the model card, is in [model-card.md](${links.card}). Nothing was written: releases are made by the promote action when the pull request is merged.`,
    "",
  ].join("\n");
}
