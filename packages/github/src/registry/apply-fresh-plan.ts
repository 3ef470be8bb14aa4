import type { RegistryPlan, ReleaseState } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { applyPlan } from "./apply-plan.js";
import { AliasMovedError } from "./move-alias.js";
import type { RegistryRunOptions } from "./promote-model.js";

/** Concurrent runs re-plan when the alias moves under them; more than this is not a race but a loop. */
const MAX_ATTEMPTS = 3;

/**
 * Plans against the registry as it is now (`plan` reads it) and applies the plan; when another
 * run moved the alias in between ({@link AliasMovedError}), reads and plans again, so an alias is
 * never moved on a stale reading. With `dryRun` it only plans. Shared by promotion, rollback and
 * canary expansion.
 *
 * @example
 * const plan = await applyFreshPlan(client, { owner, repo }, options, async () => ({ plan, releases }));
 */
export async function applyFreshPlan(
  client: GitHubClient,
  where: { owner: string; repo: string },
  options: RegistryRunOptions,
  plan: () => Promise<{ plan: RegistryPlan; releases: ReleaseState[] }>,
): Promise<RegistryPlan> {
  for (let attempt = 1; ; attempt++) {
    const planned = await plan();
    if (options.dryRun) return planned.plan;
    try {
      await applyPlan(client, planned.plan, {
        ...where,
        releases: planned.releases,
        runUrl: options.runUrl,
        log: options.log,
      });
      return planned.plan;
    } catch (error) {
      if (!(error instanceof AliasMovedError) || attempt >= MAX_ATTEMPTS) throw error;
      options.log(`${error.message}; reading the registry again`);
    }
  }
}
