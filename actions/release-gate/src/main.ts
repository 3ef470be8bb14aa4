import {
  booleanInput,
  commonInputs,
  downloadPullRequestResults,
  gateApprovals,
  gateVerdict,
  modelAction,
  runModelAction,
  upsertGateCheckRun,
  withPullRequest,
} from "@gauntlet/github";
import { gateModel, modelStep } from "@gauntlet/steps";
import * as z from "zod";

/** Mirrors action.yml. */
const inputsSchema = z.object({
  ...commonInputs,
  "check-run": booleanInput().default(true),
  "trusted-results": booleanInput().default(false),
});

/**
 * release-gate: evaluates each manifest's `gate:` over the earlier result files and the pull
 * request's approvals, writes `<results-dir>/<model>/gate.json`, sets check run
 * `gauntlet/<model>` on the head commit and publishes the "Gate" section. A pending gate (rules
 * hold, approvals missing) passes the step unless `fail-on: warning`; the check run stays in
 * progress, which blocks a merge that branch protection makes wait for it. On `workflow_run` the
 * pull request is found from the triggering run; with `trusted-results: true` the results are
 * first downloaded from the run that computed them with the base repository's workflow.
 */
export function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return runModelAction(env, inputsSchema, async ({ inputs, cwd, resultsDir, client, context: event }) => {
    const context = await withPullRequest(client, event);
    if (inputs["trusted-results"]) await downloadPullRequestResults(client, context, resultsDir);
    const step = await modelStep(
      inputs.manifest,
      "gate",
      { cwd, resultsDir: inputs["results-dir"] },
      async (loaded) => {
        // Reviews that cannot be read (no permission, GitHub down) leave the gate pending, "reviews
        // were not checked": gate.json and the outputs are still written, then the failure reported.
        const reviews = await gateApprovals(client, context, loaded).then(
          (approvals) => ({ approvals, failure: undefined }),
          (failure: unknown) => ({ approvals: undefined, failure }),
        );
        const outcome = await gateModel(loaded, { cwd, resultsDir, approvals: reviews.approvals });
        return { ...outcome, reviewsFailure: reviews.failure };
      },
    );
    return modelAction(step, {
      section: "gate",
      context,
      outputs: ({ reviewsFailure }) => {
        if (reviewsFailure !== undefined) throw reviewsFailure;
        return {};
      },
      checks: ({ result }) => result.rules,
      published: async ({ loaded, outcome }, outputs) => {
        if (!inputs["check-run"] || !context.pullRequest) return;
        const target = { ...context.repo, headSha: context.pullRequest.headSha, detailsUrl: context.runUrl };
        const check = await upsertGateCheckRun(client, target, loaded.manifest.name, outcome.result);
        outputs["check-run-id"] = String(check.id);
      },
      verdict: gateVerdict,
    });
  });
}
