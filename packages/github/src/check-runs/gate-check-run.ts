import { checkRunConclusion, type GateResult, renderCheckRunOutput } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { type CheckRunState, type CheckRunWritten, upsertCheckRun } from "./upsert-check-run.js";

/**
 * The state of a gate's check run: a pending gate (approvals missing) stays in progress, which
 * blocks a merge that branch protection makes wait for it; a decided one completes.
 *
 * @example
 * gateCheckRunState("pending"); // { status: "in_progress" }
 * gateCheckRunState("fail"); // { status: "completed", conclusion: "failure" }
 */
export function gateCheckRunState(status: GateResult["status"]): CheckRunState {
  if (status === "pending") return { status: "in_progress" };
  return { status: "completed", conclusion: checkRunConclusion(status) };
}

/**
 * Writes (or updates) check run `gauntlet/<model>` on the pull request's head commit with the gate's
 * state and its rules table.
 *
 * @example
 * await upsertGateCheckRun(client, { owner: "acme", repo: "models", headSha, detailsUrl }, "churn", result);
 * // { id: 123, created: true }
 */
export async function upsertGateCheckRun(
  client: GitHubClient,
  target: { owner: string; repo: string; headSha: string; detailsUrl?: string },
  model: string,
  result: GateResult,
): Promise<CheckRunWritten> {
  return upsertCheckRun(client, {
    ...target,
    name: `gauntlet/${model}`,
    state: gateCheckRunState(result.status),
    output: renderCheckRunOutput(result),
  });
}
