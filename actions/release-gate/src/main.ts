import {
  checkRunConclusion,
  type FailOn,
  failsStep,
  type GateResult,
  renderCheckRunOutput,
} from "@gauntlet/core";
import {
  actionPaths,
  booleanInput,
  type CheckRunState,
  commonInputs,
  createGitHubClient,
  downloadPullRequestResults,
  fetchApprovals,
  finishModelRun,
  forEachModel,
  type ModelRun,
  modelPublisher,
  type RunContext,
  readInputs,
  readRunContext,
  type StepVerdict,
  upsertCheckRun,
  withPullRequest,
  writeRunRecord,
} from "@gauntlet/github";
import {
  gateModel,
  type LoadedManifest,
  loadManifest,
  resolveManifestPaths,
  writeResult,
} from "@gauntlet/steps";
import * as z from "zod";

/** Mirrors action.yml. */
const inputsSchema = z.object({
  ...commonInputs,
  "check-run": booleanInput().default(true),
  "trusted-results": booleanInput().default(false),
});

type Status = GateResult["status"];
const RANK: Record<Status, number> = { pass: 0, pending: 1, fail: 2 };

/**
 * release-gate: evaluates each manifest's `gate:` over the earlier result files and the pull
 * request's approvals, writes `<results-dir>/<model>/gate.json`, sets check run
 * `gauntlet/<model>` on the head commit and publishes the "Gate" section. A pending gate (rules
 * hold, approvals missing) passes the step unless `fail-on: warning`; the check run stays in
 * progress, which blocks a merge that branch protection makes wait for it. On `workflow_run` the
 * pull request is found from the triggering run; with `trusted-results: true` the results are
 * first downloaded from the run that computed them with the base repository's workflow.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = readInputs(inputsSchema, env);
  const event = readRunContext(env);
  const client = createGitHubClient(inputs["github-token"], { apiUrl: event.apiUrl });
  const context = await withPullRequest(client, event);
  const { cwd, resultsDir } = actionPaths(inputs, env);
  if (inputs["trusted-results"]) await downloadPullRequestResults(client, context, resultsDir);
  await writeRunRecord(resultsDir, context);
  const publish = modelPublisher({ context, token: inputs["github-token"], comment: inputs.comment });
  const models = await forEachModel(
    await resolveManifestPaths(inputs.manifest, cwd),
    async (path, outputs) => {
      const loaded = await loadManifest(path, cwd);
      // Reviews that cannot be read (no permission, GitHub down) leave the gate pending, "reviews
      // were not checked": gate.json and the outputs are still written, then the failure reported.
      const reviews = await approvalsFor(loaded, context, inputs["github-token"]).then(
        (approvals) => ({ approvals, failure: undefined }),
        (failure: unknown) => ({ approvals: undefined, failure }),
      );
      const { approvals } = reviews;
      const { manifest, result, markdown } = await gateModel(loaded, {
        cwd,
        resultsDir,
        approvals,
      });
      const written = await writeResult(inputs["results-dir"], manifest.name, "gate", result, markdown);
      Object.assign(outputs, { result: written.result, report: written.report ?? "" });
      if (reviews.failure !== undefined) throw reviews.failure;
      Object.assign(outputs, await publish(loaded, { section: "gate", markdown, checks: result.rules }));
      if (inputs["check-run"] && context.pullRequest) {
        const check = await upsertCheckRun(
          createGitHubClient(inputs["github-token"], { apiUrl: context.apiUrl }),
          {
            ...context.repo,
            name: `gauntlet/${manifest.name}`,
            headSha: context.pullRequest.headSha,
            state: checkRunState(result.status),
            output: renderCheckRunOutput(result),
            detailsUrl: context.runUrl,
          },
        );
        outputs["check-run-id"] = String(check.id);
      }
      return result.status;
    },
  );
  finishModelRun(models, gateVerdict(models, inputs["fail-on"]));
}

/**
 * The worst gate of the step, `fail` when a model hit a user mistake. Only a passed gate passes;
 * a pending one is a warning to the step, so it fails only when the workflow asks for that.
 */
function gateVerdict(models: ModelRun<Status>, failOn: FailOn): StepVerdict {
  const status: Status =
    models.errors.length > 0
      ? "fail"
      : models.results.reduce<Status>((a, b) => (RANK[b] > RANK[a] ? b : a), "pass");
  return {
    status,
    passed: status === "pass",
    fails: failsStep(status === "pending" ? "warn" : status, failOn),
  };
}

/** Reviews only mean something on a pull request, and only when the gate asks for approvals. */
async function approvalsFor(loaded: LoadedManifest, context: RunContext, token: string) {
  const policy = loaded.manifest.gate?.approvals;
  if (!context.pullRequest || !policy || policy.min === 0) return undefined;
  return fetchApprovals(createGitHubClient(token, { apiUrl: context.apiUrl }), {
    ...context.repo,
    pullRequest: context.pullRequest,
    from: policy.from,
    manifestFile: loaded.file,
  });
}

function checkRunState(status: Status): CheckRunState {
  if (status === "pending") return { status: "in_progress" };
  return { status: "completed", conclusion: checkRunConclusion(status) };
}
