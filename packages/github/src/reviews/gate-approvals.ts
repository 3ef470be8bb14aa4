import type { ApprovalInput, Manifest } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import type { RunContext } from "../context.js";
import { fetchApprovals } from "./fetch-approvals.js";

/**
 * The reviews a model's gate counts: fetched only on a pull request, and only when `gate.approvals`
 * asks for at least one; `undefined` otherwise, without a request (the gate then needs none).
 *
 * @example
 * await gateApprovals(client, context, { file: "models/churn/model.yml", manifest });
 * // on a pull request with gate.approvals.min: 1 → { reviews: [...], headSha: "5e6f…", … }; on a push → undefined
 */
export async function gateApprovals(
  client: GitHubClient,
  context: Pick<RunContext, "repo" | "pullRequest">,
  loaded: { file: string; manifest: Pick<Manifest, "gate"> },
): Promise<ApprovalInput | undefined> {
  const policy = loaded.manifest.gate?.approvals;
  if (!context.pullRequest || !policy || policy.min === 0) return undefined;
  return fetchApprovals(client, {
    ...context.repo,
    pullRequest: context.pullRequest,
    from: policy.from,
    manifestFile: loaded.file,
  });
}
